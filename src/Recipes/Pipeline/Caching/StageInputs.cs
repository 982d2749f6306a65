using System.Security.Cryptography;
using System.Text;

namespace Recipes.Pipeline.Caching;

/// <summary>
/// What a stage's outputs depend on, as named inputs and their values (a file's content hash, a setting's value):
/// the cache key is a hash of them all, and a miss is explained by the names whose values differ from the last entry's.
/// </summary>
internal sealed class StageInputs
{
    /// <summary>What a tracked (or new, not ignored) file's input name starts with.</summary>
    public const string FilePrefix = "file ";

    /// <summary>What a setting's input name starts with.</summary>
    public const string SettingPrefix = "setting ";

    /// <summary>What an MSBuild property's input name starts with.</summary>
    public const string PropertyPrefix = "MSBuild property ";

    /// <summary>What a declared environment variable's input name starts with; its value is kept only as a hash.</summary>
    public const string VariablePrefix = "environment variable ";

    /// <summary>The SDK's input name: the version dotnet resolves here and what global.json asks for.</summary>
    public const string Sdk = "SDK";

    private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>The inputs by name, in a fixed order.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Adds or replaces one input.</summary>
    public StageInputs Add(string name, string? value)
    {
        _values[name] = value ?? "(unset)";
        return this;
    }

    /// <summary>Adds an input whose value must never be written out (an environment variable): only its hash is kept.</summary>
    public StageInputs AddHashed(string name, string? value) =>
        Add(name, value is null ? null : "sha256:" + Hash(value)[..16]);

    /// <summary>The key: a SHA-256 over every name and value, as lowercase hex.</summary>
    public string Key
    {
        get
        {
            var text = new StringBuilder();
            foreach (var (name, value) in _values)
            {
                text.Append(name).Append('\0').Append(value).Append('\n');
            }

            return Hash(text.ToString());
        }
    }

    /// <summary>An input set read back from a cache entry.</summary>
    public static StageInputs From(IReadOnlyDictionary<string, string> values)
    {
        var inputs = new StageInputs();
        foreach (var (name, value) in values)
        {
            inputs.Add(name, value);
        }

        return inputs;
    }

    /// <summary>
    /// What differs from <paramref name="earlier"/>, as a reader names it: file paths, setting and property names,
    /// the SDK versions; at most <paramref name="most"/> named, then how many more.
    /// </summary>
    public string DescribeChangesSince(StageInputs earlier, int most = 5)
    {
        var names = _values.Keys.Union(earlier._values.Keys, StringComparer.Ordinal)
            .Where(name => !Equals(_values.GetValueOrDefault(name), earlier._values.GetValueOrDefault(name)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
        {
            return "nothing this stage declares (the entry was removed: --no-cache, or the size limit)";
        }

        var described = names.Take(most).Select(name => Describe(name, earlier._values.GetValueOrDefault(name), _values.GetValueOrDefault(name)));
        var more = names.Count > most ? $" and {names.Count - most} more" : string.Empty;
        return string.Join(", ", described) + more;
    }

    private static string Describe(string name, string? before, string? now)
    {
        var change = (before, now) switch
        {
            (null, _) => "added",
            (_, null) => "removed",
            _ => "changed",
        };
        // Files, variables and properties (which may hold a secret) say only that they changed; settings and the SDK show their values.
        var shown = new[] { FilePrefix, VariablePrefix, PropertyPrefix }.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))
            ? string.Empty
            : $" ({before ?? "unset"} -> {now ?? "unset"})";
        return $"{name} {change}{shown}";
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
