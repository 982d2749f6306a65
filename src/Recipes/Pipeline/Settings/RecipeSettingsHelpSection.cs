using Cake.Core;
using Recipes.Hosting;
using Recipes.Hosting.Internal;
using Recipes.Pipeline.Arguments;

namespace Recipes.Pipeline.Settings;

/// <summary>
/// The recipe's part of <c>--help</c>: every setting with its value in force (secrets masked), where that value came
/// from, what it does and how to set it. Resolves the settings as the context would, but runs no discovery and no
/// GitVersion, so it works outside a repository; a configuration error is shown in place of the values.
/// </summary>
internal sealed class RecipeSettingsHelpSection(RecipeSettings code, ICakeEnvironment environment, ICakeArguments arguments) : ITargetHelpSection
{
    private const string Indent = "  ";

    public string Title => "Recipe settings";

    public void Write(IConsole console) => Write(console, RecipeSettingTable.All);

    /// <summary>Only the settings the targets read; a target that declares none is taken to read them all.</summary>
    public void Write(IConsole console, IReadOnlyList<string> targets)
    {
        var declared = targets.Select(TargetArgumentTable.For).ToList();
        var names = declared.All(t => t is not null) ? declared.SelectMany(t => t!.Settings).ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
        Write(console, [.. RecipeSettingTable.All.Where(s => names is null || names.Contains(s.Name))]);
    }

    private void Write(IConsole console, IReadOnlyList<RecipeSettingDefinition> shown)
    {
        console.WriteLine($"{Indent}Set in code (UseRecipe), in {RecipeSettingsFile.FileName} at the repository root, by RECIPES_* environment");
        console.WriteLine($"{Indent}variables, or on the command line; each overrides the one before. Checked before any task runs.");
        ResolvedRecipeSettings? resolved = null;
        try
        {
            resolved = RecipeSettingsResolver.Resolve(code, environment.WorkingDirectory.FullPath, arguments);
        }
        catch (RecipeConfigurationException exception)
        {
            console.WriteLine($"{Indent}Error: {exception.Message}");
            console.WriteLine($"{Indent}(values are shown once this is fixed)");
        }

        var width = shown.Max(s => s.Name.Length) + 2;
        var continuation = new string(' ', Indent.Length + width);
        foreach (var setting in shown)
        {
            console.WriteLine(string.Empty);
            var value = resolved is null ? string.Empty : $"{ValueOf(setting, resolved)}";
            console.WriteLine($"{Indent}{setting.Name.PadRight(width)}{value}".TrimEnd());
            console.WriteLine($"{continuation}{setting.Description}");
            console.WriteLine($"{continuation}{HowToSet(setting, resolved)}");
        }
    }

    private string ValueOf(RecipeSettingDefinition setting, ResolvedRecipeSettings resolved)
    {
        if (setting.SecretVariable is { } secretVariable)
        {
            var variable = secretVariable(resolved.Settings);
            var isSet = !string.IsNullOrEmpty(EnvironmentVariables.Behind(arguments).Get(variable));
            return isSet ? $"set (masked) (from environment variable {variable})" : $"not set (environment variable {variable})";
        }

        var source = resolved.Sources[setting.Name];
        return setting.Read(resolved.Settings) is { Length: > 0 } value ? $"{value} (from {source.Description})"
            : setting.DescribeDefault is { } describe ? describe(environment.WorkingDirectory.FullPath, EnvironmentVariables.Behind(arguments))
            : source.Origin == RecipeSettingOrigin.Default ? "(not set)"
            : $"(not set) (from {source.Description})";
    }

    private static string HowToSet(RecipeSettingDefinition setting, ResolvedRecipeSettings? resolved) =>
        setting.SecretVariable is { } secretVariable
            ? $"Set only as the environment variable that {setting.Name}-variable names ({secretVariable(resolved?.Settings ?? new RecipeSettings())})"
            : $"--{setting.Name}={setting.ValueName}  {setting.EnvironmentVariable}  \"{setting.Name}\" in {RecipeSettingsFile.FileName}";
}
