using System.Globalization;
using Recipes.Hosting.Internal;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Recipes.Deployment;

/// <summary>
/// Typed reads from one YAML mapping of the environments file. Every failure names the file, the line of the
/// offending node and the field's dotted path, so the model code stays free of location bookkeeping.
/// </summary>
internal sealed class YamlFields
{
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

    /// <summary>Reads <paramref name="node"/> as a mapping whose keys must all be in <paramref name="knownKeys"/>.</summary>
    public YamlFields(string file, YamlNode node, string prefix, IReadOnlyList<string> knownKeys)
    {
        File = file;
        Prefix = prefix;
        Node = node;
        if (node is not YamlMappingNode mapping)
        {
            var field = FieldName(prefix);
            throw new EnvironmentsFileException(file, (int)node.Start.Line, field, $"'{field}' must be a mapping with the keys {string.Join(", ", knownKeys)}.");
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!knownKeys.Contains(key, StringComparer.Ordinal))
            {
                var closest = NameSuggestions.For(key, knownKeys);
                var hint = closest.Count > 0 ? $" Did you mean '{prefix}{closest[0]}'?" : string.Empty;
                throw Error(keyNode, key, $"unknown key '{prefix}{key}'.{hint} Known keys: {string.Join(", ", knownKeys)}.");
            }

            _values[key] = value;
        }
    }

    public string File { get; }

    public string Prefix { get; }

    public YamlNode Node { get; }

    public int Line => (int)Node.Start.Line;

    /// <summary>The node under <paramref name="key"/>, or null when the key is absent or its value is null.</summary>
    public YamlNode? Find(string key) =>
        _values.TryGetValue(key, out var node) && !IsNull(node) ? node : null;

    public string? OptionalString(string key) => Find(key) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value!,
        var other => throw Error(other, key, $"'{Prefix}{key}' must be a single value, not a list or a mapping."),
    };

    public string RequiredString(string key, string example) =>
        OptionalString(key) ?? throw Error(Node, key, $"'{Prefix}{key}' is missing; add it, for example {key}: {example}.");

    public int? OptionalInt(string key, int minimum, int maximum)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw Error(Find(key)!, key, $"'{Prefix}{key}' is '{text}'; use a whole number from {minimum} to {maximum}.");
    }

    public double? OptionalNumber(string key, double minimum, double maximum)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw Error(Find(key)!, key, $"'{Prefix}{key}' is '{text}'; use a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}.");
    }

    public bool? OptionalBool(string key) => Find(key) is { } node ? Bool(node, key) : null;

    /// <summary>Reads <paramref name="node"/>, the value of <paramref name="key"/> under this mapping, as true or false.</summary>
    public bool Bool(YamlNode node, string key)
    {
        var text = (node as YamlScalarNode)?.Value;
        return text switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => throw Error(node, key, $"'{Prefix}{key}' is '{text}'; use true or false."),
        };
    }

    /// <param name="key">The key.</param>
    /// <param name="allowZero">Whether 0 makes sense (a grace period of none); timeouts and pauses must be positive.</param>
    public TimeSpan? OptionalDuration(string key, bool allowZero = false)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        return DurationText.TryParse(text) is { } duration && (duration > TimeSpan.Zero || allowZero)
            ? duration
            : throw Error(Find(key)!, key, $"'{Prefix}{key}' is '{text}', which is not a {(allowZero ? string.Empty : "positive ")}duration; use a whole number with a unit, such as {DurationText.Examples}.");
    }

    public string? OptionalPath(string key)
    {
        var path = OptionalString(key);
        return path is null || path.StartsWith('/')
            ? path
            : throw Error(Find(key)!, key, $"'{Prefix}{key}' is '{path}'; a request path starts with '/', such as /health.");
    }

    /// <summary>An error located at <paramref name="node"/>, for the field <paramref name="key"/> under this mapping.</summary>
    public EnvironmentsFileException Error(YamlNode node, string key, string problem) =>
        new(File, (int)node.Start.Line, FieldName(Prefix + key), problem);

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string FieldName(string path) => path.TrimEnd('.');
}
