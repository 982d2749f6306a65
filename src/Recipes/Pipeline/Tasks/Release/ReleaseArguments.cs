using System.Globalization;
using Recipes.Deployment;
using Recipes.Deployment.Toggles;
using Recipes.Hosting.Internal;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Reads and checks the command-line arguments of the History and Release targets. A missing or wrong argument is a
/// configuration error: one line that says what to pass, and exit code 2.
/// </summary>
internal static class ReleaseArguments
{
    /// <summary>The environment named by <c>--environment</c>, looked up in the environments file.</summary>
    public static DeploymentEnvironment Environment(RecipeContext context, string target)
    {
        var environments = context.LoadEnvironments();
        var names = environments.Environments.Select(e => e.Name).ToList();
        var name = Text(context, "environment");
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

    /// <summary>The <c>--limit</c> of History: a whole number of at least 1, 20 when not given.</summary>
    public static int Limit(RecipeContext context)
    {
        if (Text(context, "limit") is not { } text)
        {
            return 20;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : throw new RecipeConfigurationException($"--limit is '{text}'; give the number of rows to show, a whole number of at least 1.");
    }

    /// <summary>The declared feature named by <c>--feature</c>.</summary>
    public static string Feature(RecipeContext context, DeploymentEnvironment environment, string file)
    {
        var declared = environment.Features.Keys.ToList();
        var feature = Text(context, "feature");
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

    /// <summary>
    /// The exposure asked for: <c>--percentage=P</c> (0 to 100, a sticky share of users: the same user always gets the
    /// same answer), <c>--enabled=true|false</c>, or targeting with <c>--users=alice,bob</c> and/or
    /// <c>--groups=beta:50,staff:100</c>, where <c>--percentage</c> is then the sticky share of everyone else.
    /// </summary>
    public static FeatureExposure Exposure(RecipeContext context)
    {
        var percentage = Text(context, "percentage");
        var enabled = Text(context, "enabled");
        var users = Text(context, "users");
        var groups = Text(context, "groups");
        if (users is not null || groups is not null)
        {
            if (enabled is not null)
            {
                throw new RecipeConfigurationException("Release takes --enabled or --users/--groups, not both; targeting turns the feature on for the users and groups named.");
            }

            return FeatureExposure.ForTargeting(new FeatureTargeting(
                users is null ? [] : List(users),
                groups is null ? [] : [.. List(groups).Select(Group)],
                percentage is null ? 0 : Percentage(percentage)));
        }

        if ((percentage is null) == (enabled is null))
        {
            throw new RecipeConfigurationException(percentage is null
                ? "Release needs --percentage=P (0 to 100), --enabled=true|false, or --users=A,B / --groups=G:P to say who sees the feature."
                : "Release takes --percentage or --enabled, not both; --percentage=P turns the feature on for P% of users.");
        }

        if (percentage is not null)
        {
            return FeatureExposure.ForShareOfUsers(Percentage(percentage));
        }

        return bool.TryParse(enabled, out var on)
            ? on ? FeatureExposure.On : FeatureExposure.Off
            : throw new RecipeConfigurationException($"--enabled is '{enabled}'; give true or false.");
    }

    private static int Percentage(string text) =>
        int.TryParse(text.TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100
            ? value
            : throw new RecipeConfigurationException($"--percentage is '{text}'; give a whole number from 0 to 100.");

    private static List<string> List(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>A group as <c>name:percentage</c>; a bare name means all of its members.</summary>
    private static TargetedGroup Group(string text)
    {
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (parts[0].Length == 0)
        {
            throw new RecipeConfigurationException($"--groups has '{text}'; give each group as NAME or NAME:PERCENTAGE, such as beta:50.");
        }

        if (parts.Length == 1)
        {
            return new TargetedGroup(parts[0], 100);
        }

        return int.TryParse(parts[1].TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var share) && share <= 100
            ? new TargetedGroup(parts[0], share)
            : throw new RecipeConfigurationException($"--groups has '{text}'; the share after ':' is a whole number from 0 to 100, such as beta:50.");
    }

    /// <summary>The argument's value, or null when it is not given or empty.</summary>
    internal static string? Text(RecipeContext context, string name) =>
        context.Arguments.HasArgument(name) && context.Arguments.GetArguments(name).LastOrDefault() is { Length: > 0 } value ? value.Trim() : null;
}
