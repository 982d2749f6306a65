using Cake.Core;
using Recipes.Hosting.Internal;

namespace Recipes.Pipeline.Settings;

/// <summary>The settings in force and, by setting name, where each value came from.</summary>
internal sealed record ResolvedRecipeSettings(RecipeSettings Settings, IReadOnlyDictionary<string, RecipeSettingSource> Sources);

/// <summary>
/// Works out the settings in force: code, then <c>recipes.json</c>, then <c>RECIPES_*</c> environment variables, then
/// the command line, each overriding the one before; then checks every value. A pure function of its inputs, so that
/// the context (before any task runs) and <c>--help</c> agree.
/// </summary>
internal static class RecipeSettingsResolver
{
    /// <summary>
    /// <c>RECIPES_*</c> variables that are not settings yet are read by other parts, so they are not reported as typos:
    /// the sample repositories' build projects find the Recipes sources with RECIPES_ROOT, and the sample's acceptance
    /// tests compare against RECIPES_EXPECTED_VERSION. The API key variable is added to these.
    /// </summary>
    private static readonly string[] OtherVariables = ["RECIPES_ROOT", RecipeSettings.DefaultFeedApiKeyVariable, RecipeSettings.DefaultRegistryCredentialsVariable, "RECIPES_EXPECTED_VERSION", Hosting.Internal.BootstrapWatch.Variable];

    /// <summary>Resolves with the command line and environment behind Cake's arguments.</summary>
    public static ResolvedRecipeSettings Resolve(RecipeSettings code, string repositoryRoot, ICakeArguments arguments)
    {
        var commandLine = arguments.GetArguments()
            .Where(a => a.Value.Count > 0)
            .ToDictionary(a => a.Key, a => a.Value.Last(), StringComparer.OrdinalIgnoreCase);
        foreach (var setting in RecipeSettingTable.Settable)
        {
            // Asked by name, so that a setting on the command line is not reported as an argument nothing used.
            arguments.HasArgument(setting.Name);
        }

        return Resolve(code, repositoryRoot, commandLine, EnvironmentVariables.Behind(arguments));
    }

    /// <summary>Resolves the settings in force.</summary>
    /// <param name="code">The settings the build's code made; not changed.</param>
    /// <param name="repositoryRoot">Where <c>recipes.json</c> is, and what relative paths are relative to.</param>
    /// <param name="commandLine">Every <c>--name=value</c> (the last value of a repeated one); names that are not settings are the build's own and are ignored.</param>
    /// <param name="environment">The environment variables.</param>
    /// <exception cref="RecipeConfigurationException">A value, key or variable is wrong; the message names it and where it came from.</exception>
    public static ResolvedRecipeSettings Resolve(
        RecipeSettings code,
        string repositoryRoot,
        IReadOnlyDictionary<string, string> commandLine,
        EnvironmentVariables environment)
    {
        var settings = code.Copy();
        var defaults = new RecipeSettings();
        var sources = RecipeSettingTable.Settable.ToDictionary(
            setting => setting.Name,
            setting => setting.Read(code) == setting.Read(defaults) ? RecipeSettingSource.Default : RecipeSettingSource.Code,
            StringComparer.OrdinalIgnoreCase);

        void Set(RecipeSettingDefinition setting, string text, RecipeSettingSource source)
        {
            try
            {
                setting.Assign!(settings, text);
            }
            catch (SettingValueException exception)
            {
                throw Invalid(setting, source, text, exception.Message);
            }

            sources[setting.Name] = source;
        }

        foreach (var (setting, text) in RecipeSettingsFile.Read(Path.Combine(repositoryRoot, RecipeSettingsFile.FileName)))
        {
            Set(setting, text, RecipeSettingSource.File);
        }

        foreach (var setting in RecipeSettingTable.Settable)
        {
            if (environment.Get(setting.EnvironmentVariable) is { } text && !string.IsNullOrWhiteSpace(text))
            {
                Set(setting, text, RecipeSettingSource.EnvironmentVariable(setting.EnvironmentVariable));
            }
        }

        foreach (var setting in RecipeSettingTable.Settable)
        {
            if (commandLine.TryGetValue(setting.Name, out var text))
            {
                Set(setting, text, RecipeSettingSource.CommandLine(setting.Name));
            }
        }

        CheckVariableNames(environment, settings.FeedApiKeyVariable, settings.RegistryCredentialsVariable);
        foreach (var setting in RecipeSettingTable.Settable.Where(s => s.Check is not null))
        {
            var source = sources[setting.Name];
            if (setting.Check!(new SettingCheck(settings, repositoryRoot, source)) is { } reason)
            {
                throw Invalid(setting, source, setting.Read(settings), reason);
            }
        }

        return new ResolvedRecipeSettings(settings, sources);
    }

    private static RecipeConfigurationException Invalid(RecipeSettingDefinition setting, RecipeSettingSource source, string? text, string reason) =>
        new($"Setting '{setting.Name}' from {source.Description}: '{text}' {reason}.");

    /// <summary>A <c>RECIPES_*</c> variable that names no setting is almost always a typo that would silently do nothing.</summary>
    private static void CheckVariableNames(EnvironmentVariables environment, params string[] secretVariables)
    {
        var known = RecipeSettingTable.Settable.Select(s => s.EnvironmentVariable).ToList();
        var allowed = known.Concat(OtherVariables).Concat(secretVariables).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = environment.Names
            .Where(name => name.StartsWith(RecipeSettingTable.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && !allowed.Contains(name))
            .Where(name => !string.IsNullOrWhiteSpace(environment.Get(name)))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        if (unknown is null)
        {
            return;
        }

        // Compared without the prefix they all share, which would otherwise make every name look close.
        var prefix = RecipeSettingTable.EnvironmentPrefix.Length;
        var closest = NameSuggestions.For(unknown[prefix..], known.Select(name => name[prefix..]));
        var hint = closest.Count > 0 ? $" Did you mean {RecipeSettingTable.EnvironmentPrefix}{closest[0]}?" : string.Empty;
        throw new RecipeConfigurationException(
            $"Environment variable {unknown} is not a Recipes setting.{hint} The settings' variables are {string.Join(", ", known)}.");
    }
}
