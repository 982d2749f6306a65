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
    /// <exception cref="RecipeConfigurationException">The file is not a JSON object, a key is not a setting, or a value is not text, a boolean, a number or a list of strings.</exception>
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
                    $"{path} sets '{setting.Name}', a secret, which must not be committed; set the environment variable that api-key-variable names ({RecipeSettings.DefaultFeedApiKeyVariable} by default) instead.");
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

    private static string Text(string path, RecipeSettingDefinition setting, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Array when value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String) =>
            string.Join(",", value.EnumerateArray().Select(item => item.GetString())),
        _ => throw new RecipeConfigurationException(
            $"Setting '{setting.Name}' in {path} is {Describe(value.ValueKind)}; give a string, a boolean, a number or a list of strings."),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list with something other than strings in it",
        _ => kind.ToString(),
    };
}
