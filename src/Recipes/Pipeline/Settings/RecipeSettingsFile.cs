using System.Text.Json;
using Recipes.Hosting.Internal;

namespace Recipes.Pipeline.Settings;

/// <summary>
/// Reads <c>recipes.json</c>, the repository's own settings: one JSON object whose keys are setting names
/// (<c>{ "feed": "https://host/v3/index.json", "slow-tests": ["*.Smoke"] }</c>). Comments and trailing commas are
/// allowed; unknown keys and malformed JSON are errors that name the file.
/// </summary>
internal static class RecipeSettingsFile
{
    /// <summary>The file's name; it lives at the repository root, the build's working directory.</summary>
    public const string FileName = "recipes.json";

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The values the file sets, as text, in file order; none when there is no file.</summary>
    /// <exception cref="RecipeConfigurationException">The file is not a JSON object, a key is not a setting, or or a value is not of the JSON type its setting takes.</exception>
    public static IReadOnlyList<(RecipeSettingDefinition Setting, string Text)> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = Parse(path);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new RecipeConfigurationException($"{path} must hold one JSON object of settings, such as {{ \"feed\": \"https://host/v3/index.json\" }}.");
        }

        var values = new List<(RecipeSettingDefinition, string)>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var setting = RecipeSettingTable.Find(property.Name) ?? throw UnknownKey(path, property.Name);
            if (setting.IsSecret)
            {
                throw new RecipeConfigurationException(
                    $"{path} sets '{setting.Name}', a secret, which must not be committed; set the environment variable that {setting.Name}-variable names ({setting.SecretVariable!(new RecipeSettings())} by default) instead.");
            }

            values.Add((setting, Text(path, setting, property.Value)));
        }

        return values;
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), Options);
        }
        catch (JsonException exception)
        {
            // System.Text.Json counts lines and positions from 0; editors count from 1.
            var line = exception.LineNumber + 1 ?? 1;
            var position = exception.BytePositionInLine + 1 ?? 1;
            throw new RecipeConfigurationException(
                $"{path} is not valid JSON: line {line}, position {position}: {Reason(exception)}", exception);
        }
    }

    /// <summary>The parser's explanation without the location it appends (" LineNumber: 2 | BytePositionInLine: 7.").</summary>
    private static string Reason(JsonException exception)
    {
        var message = exception.Message;
        var location = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (location < 0 ? message : message[..location]).Trim();
    }

    private static RecipeConfigurationException UnknownKey(string path, string key)
    {
        var known = RecipeSettingTable.Settable.Select(d => d.Name).ToList();
        var closest = NameSuggestions.For(key, known);
        var hint = closest.Count > 0 ? $" Did you mean '{closest[0]}'?" : string.Empty;
        return new RecipeConfigurationException(
            $"{path}: unknown setting '{key}'.{hint} Known settings: {string.Join(", ", known)}.");
    }

    /// <summary>The value as text, when its JSON type is the one the setting takes; a number for a path is a mistake, not "42".</summary>
    private static string Text(string path, RecipeSettingDefinition setting, JsonElement value) => (setting.Kind, value.ValueKind) switch
    {
        (SettingValueKind.Text or SettingValueKind.List, JsonValueKind.String) => value.GetString()!,
        (SettingValueKind.Boolean, JsonValueKind.True) => "true",
        (SettingValueKind.Boolean, JsonValueKind.False) => "false",
        (SettingValueKind.List, JsonValueKind.Array) when value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String) =>
            string.Join(",", value.EnumerateArray().Select(item => item.GetString())),
        _ => throw new RecipeConfigurationException(
            $"{path}: '{setting.Name}' must be {Expected(setting.Kind)}, not {Found(value)}."),
    };

    private static string Expected(SettingValueKind kind) => kind switch
    {
        SettingValueKind.Boolean => "true or false (a JSON boolean, without quotes)",
        SettingValueKind.List => "a list of strings, such as [\"*.Smoke\", \"*.Load\"]",
        _ => "a string (in double quotes)",
    };

    private static string Found(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"a string (\"{value.GetString()}\")",
        JsonValueKind.Number => $"a number ({value.GetRawText()})",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({value.GetRawText()})",
        JsonValueKind.Array when value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String) => "a list",
        JsonValueKind.Array => "a list with something other than strings in it",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
