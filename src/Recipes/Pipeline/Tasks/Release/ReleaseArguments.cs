using Recipes.Deployment;
using Recipes.Deployment.Toggles;
using Recipes.Hosting.Internal;
using Recipes.Pipeline.Arguments;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Works out what the History and Release targets are asked to do from their declared arguments (see TargetArgumentTable). A missing or wrong argument is a
/// configuration error: one line that says what to pass, and exit code 2.
/// </summary>
internal static class ReleaseArguments
{
    /// <summary>The environment named by <c>--environment</c>, looked up in the environments file.</summary>
    public static DeploymentEnvironment Environment(RecipeContext context, string target)
    {
        var environments = context.LoadEnvironments();
        var names = environments.Environments.Select(e => e.Name).ToList();
        var name = TargetArgumentTable.Environment.Text(context.Arguments);
        if (name is null)
        {
            throw new RecipeConfigurationException(
                $"{target} needs --environment=NAME; {environments.File} has {string.Join(", ", names)}.");
        }

        if (environments.Environments.FirstOrDefault(e => e.Name == name) is { } environment)
        {
            // The state folder too is checked here (HOME unset, old state in the repository): a configuration error, exit 2.
            _ = context.StateDirectory;
            return environment;
        }

        var closest = NameSuggestions.For(name, names);
        var hint = closest.Count > 0 ? $" Did you mean '{closest[0]}'?" : string.Empty;
        throw new RecipeConfigurationException(
            $"There is no environment '{name}' in {environments.File}; it has {string.Join(", ", names)}.{hint}");
    }

    /// <summary>The declared feature named by <c>--feature</c>.</summary>
    public static string Feature(RecipeContext context, DeploymentEnvironment environment, string file)
    {
        var declared = environment.Features.Keys.ToList();
        var feature = TargetArgumentTable.Feature.Text(context.Arguments);
        if (feature is null)
        {
            throw new RecipeConfigurationException(declared.Count == 0
                ? $"Release needs --feature=NAME, but environment '{environment.Name}' declares no features; add them under 'features:' in {file}."
                : $"Release needs --feature=NAME; environment '{environment.Name}' declares {string.Join(", ", declared)}.");
        }

        if (declared.Contains(feature, StringComparer.Ordinal))
        {
            return feature;
        }

        throw new RecipeConfigurationException(declared.Count == 0
            ? $"Environment '{environment.Name}' declares no features; add '{feature}' under 'features:' of '{environment.Name}' in {file} first."
            : $"Feature '{feature}' is not declared for environment '{environment.Name}'; did you mean '{FeatureRelease.Closest(feature, declared)}'? (declared: {string.Join(", ", declared)}; add new ones under 'features:' in {file}).");
    }

    /// <summary>What a Release changes: the environment, the declared feature, and who sees it.</summary>
    /// <exception cref="RecipeConfigurationException">An argument is missing or wrong, the feature is not declared, or the environments file is wrong.</exception>
    public static (DeploymentEnvironment Environment, string Feature, FeatureExposure Exposure) Request(RecipeContext context)
    {
        var environment = Environment(context, "Release");
        return (environment, Feature(context, environment, context.Settings.EnvironmentsFile), Exposure(context));
    }

    /// <summary>
    /// The exposure asked for: <c>--percentage=P</c> (0 to 100, a sticky share of users: the same user always gets the
    /// same answer), <c>--enabled=true|false</c>, or targeting with <c>--users=alice,bob</c> and/or
    /// <c>--groups=beta:50,staff:100</c>, where <c>--percentage</c> is then the sticky share of everyone else.
    /// </summary>
    private static FeatureExposure Exposure(RecipeContext context)
    {
        var arguments = context.Arguments;
        var percentage = TargetArgumentTable.Percentage.Value(arguments);
        var enabled = TargetArgumentTable.Enabled.Value(arguments);
        var users = TargetArgumentTable.Users.Value(arguments);
        var groups = TargetArgumentTable.Groups.Value(arguments);
        if (users is not null || groups is not null)
        {
            if (enabled is not null)
            {
                throw new RecipeConfigurationException("Release takes --enabled or --users/--groups, not both; targeting turns the feature on for the users and groups named.");
            }

            return FeatureExposure.ForTargeting(new FeatureTargeting(users ?? [], groups ?? [], percentage ?? 0));
        }

        if ((percentage is null) == (enabled is null))
        {
            throw new RecipeConfigurationException(percentage is null
                ? "Release needs --percentage=P (0 to 100), --enabled=true|false, or --users=A,B / --groups=G:P to say who sees the feature."
                : "Release takes --percentage or --enabled, not both; --percentage=P turns the feature on for P% of users.");
        }

        return percentage is { } share ? FeatureExposure.ForShareOfUsers(share)
            : enabled == true ? FeatureExposure.On
            : FeatureExposure.Off;
    }
}
