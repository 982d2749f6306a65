using Recipes.Hosting.Internal;

namespace Recipes.Pipeline.Settings;

/// <summary>
/// One row of <see cref="RecipeSettingTable"/>: a setting's name (the command-line option, the <c>recipes.json</c> key
/// and, upper snake case behind <c>RECIPES_</c>, the environment variable), what it means, and how its text is parsed
/// and checked.
/// </summary>
internal sealed record RecipeSettingDefinition
{
    /// <summary>The kebab-case name: <c>--feed</c>, <c>"feed"</c> in recipes.json, <c>RECIPES_FEED</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the value looks like, for usage lines: <c>PATH|URL</c>, <c>true|false</c>.</summary>
    public required string ValueName { get; init; }

    /// <summary>One line that says what the setting does.</summary>
    public required string Description { get; init; }

    /// <summary>The value in force as text (null when unset), safe to print: credentials in it are masked.</summary>
    public required Func<RecipeSettings, string?> Read { get; init; }

    /// <summary>What <c>--help</c> shows when no source sets the value: the default it resolves to in this repository (root, environment).</summary>
    public Func<string, EnvironmentVariables, string>? DescribeDefault { get; init; }

    /// <summary>The JSON type <c>recipes.json</c> must give it; other types are refused, not turned into text.</summary>
    public SettingValueKind Kind { get; init; } = SettingValueKind.Text;

    /// <summary>Parses text into the settings; throws <see cref="SettingValueException"/> when it is not of the setting's type. Null for a setting no source may set.</summary>
    public Action<RecipeSettings, string>? Assign { get; init; }

    /// <summary>Why the final value is wrong, as a phrase that follows the quoted value ("is not a SemVer version"), or null when it is fine.</summary>
    public Func<SettingCheck, string?>? Check { get; init; }

    /// <summary>
    /// For a secret: the environment variable that holds it. Secrets are never read from code, the file or the
    /// command line, and never printed; <c>--help</c> only says whether the variable is set.
    /// </summary>
    public Func<RecipeSettings, string>? SecretVariable { get; init; }

    /// <summary>The environment variable: <c>RECIPES_</c> and the name in upper snake case.</summary>
    public string EnvironmentVariable => RecipeSettingTable.EnvironmentPrefix + Name.Replace('-', '_').ToUpperInvariant();

    /// <summary>True for a secret (see <see cref="SecretVariable"/>).</summary>
    public bool IsSecret => SecretVariable is not null;
}

/// <summary>The JSON type a setting takes in <c>recipes.json</c>.</summary>
internal enum SettingValueKind
{
    /// <summary>A JSON string.</summary>
    Text,

    /// <summary>JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A JSON list of strings, or one string of comma-separated items.</summary>
    List,
}

/// <summary>What a setting's check sees: every setting in force, the repository root for relative paths, and where this value came from.</summary>
internal sealed record SettingCheck(RecipeSettings Settings, string RepositoryRoot, RecipeSettingSource Source);

/// <summary>Text that is not a value of the setting's type; the message is a phrase that follows the quoted text.</summary>
internal sealed class SettingValueException(string reason) : Exception(reason);
