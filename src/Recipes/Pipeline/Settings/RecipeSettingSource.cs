namespace Recipes.Pipeline.Settings;

/// <summary>Where a setting's value can come from, from weakest to strongest.</summary>
public enum RecipeSettingOrigin
{
    /// <summary>Nobody set it; the recipe's default applies.</summary>
    Default,

    /// <summary>The build's code: <c>UseRecipe(r =&gt; ...)</c>.</summary>
    Code,

    /// <summary><c>recipes.json</c> at the repository root.</summary>
    File,

    /// <summary>A <c>RECIPES_*</c> environment variable.</summary>
    Environment,

    /// <summary>A <c>--name=value</c> argument.</summary>
    CommandLine,
}

/// <summary>Where the value in force of one setting came from, for <c>--help</c> and for error messages.</summary>
/// <param name="Origin">The kind of place.</param>
/// <param name="Description">
/// The place in words, as error messages use it after "from": <c>the default</c>, <c>code (UseRecipe)</c>,
/// <c>recipes.json</c>, <c>environment variable RECIPES_FEED</c>, <c>command line --feed</c>.
/// </param>
public sealed record RecipeSettingSource(RecipeSettingOrigin Origin, string Description)
{
    /// <summary>The recipe's default.</summary>
    public static RecipeSettingSource Default { get; } = new(RecipeSettingOrigin.Default, "the default");

    /// <summary>The build's code.</summary>
    public static RecipeSettingSource Code { get; } = new(RecipeSettingOrigin.Code, "code (UseRecipe)");

    /// <summary>The settings file.</summary>
    public static RecipeSettingSource File { get; } = new(RecipeSettingOrigin.File, RecipeSettingsFile.FileName);

    /// <summary>An environment variable.</summary>
    public static RecipeSettingSource EnvironmentVariable(string name) => new(RecipeSettingOrigin.Environment, $"environment variable {name}");

    /// <summary>A command-line argument.</summary>
    public static RecipeSettingSource CommandLine(string name) => new(RecipeSettingOrigin.CommandLine, $"command line --{name}");

    /// <inheritdoc />
    public override string ToString() => Description;
}
