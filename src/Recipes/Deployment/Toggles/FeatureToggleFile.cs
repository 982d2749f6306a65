using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recipes.Deployment.Toggles;

/// <summary>
/// An environment's feature toggles in a JSON settings file that the app reads with
/// <c>AddJsonFile(path, optional: true, reloadOnChange: true)</c>, in Microsoft.FeatureManagement's configuration
/// format: <c>feature_management.feature_flags</c>, one <c>{ "id", "enabled", "conditions" }</c> entry per feature
/// (the Microsoft Feature Flag schema), with the <c>Microsoft.Percentage</c> and <c>Microsoft.Targeting</c> filters.
/// Writes replace the file atomically, so a reloading app never reads half of it; every other section and every
/// other feature in the file is kept.
/// </summary>
public sealed class FeatureToggleFile
{
    /// <summary>The file's name in an environment's state folder.</summary>
    public const string DefaultFileName = "features.json";

    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    /// <summary>Uses the file at <paramref name="path"/>, which need not exist yet.</summary>
    public FeatureToggleFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>The file of <paramref name="environment"/> under the state folder: <c>&lt;state&gt;/&lt;environment&gt;/features.json</c>.</summary>
    public static FeatureToggleFile For(string stateDirectory, string environment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        return new FeatureToggleFile(System.IO.Path.Combine(stateDirectory, environment, DefaultFileName));
    }

    /// <summary>The ids of the features in the file, in file order; empty when the file does not exist.</summary>
    /// <exception cref="FeatureReleaseException">The file is not valid JSON or not in the feature manager's format.</exception>
    public IReadOnlyList<string> Features() =>
        Flags(Load(), create: false)?.OfType<JsonObject>().Select(flag => FeatureFlagJson.Id(Path, flag)).ToList() ?? [];

    /// <summary>How <paramref name="feature"/> is exposed, or null when the file (or the feature in it) does not exist.</summary>
    /// <exception cref="FeatureReleaseException">The file is not in the feature manager's format, or the feature uses filters Recipes does not manage.</exception>
    public FeatureExposure? Read(string feature)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(feature);
        return Find(Flags(Load(), create: false), feature) is { } flag ? FeatureFlagJson.Read(Path, flag) : null;
    }

    /// <summary>
    /// Sets how <paramref name="feature"/> is exposed and replaces the file atomically (a temporary file in the same
    /// folder, then a rename), creating the file and its folder when needed. Other sections, other features and the
    /// feature's other properties (description, variants, ...) are kept; its conditions are replaced.
    /// </summary>
    /// <exception cref="FeatureReleaseException">The file is not in the feature manager's format, or cannot be written.</exception>
    public void Write(string feature, FeatureExposure exposure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(feature);
        ArgumentNullException.ThrowIfNull(exposure);
        var root = Load() ?? new JsonObject();
        var flags = Flags(root, create: true)!;
        var flag = Find(flags, feature);
        if (flag is null)
        {
            flag = new JsonObject { ["id"] = feature };
            flags.Add(flag);
        }

        FeatureFlagJson.Write(flag, exposure);
        Replace(root.ToJsonString(WriteOptions) + Environment.NewLine);
    }

    private JsonObject? Load()
    {
        string text;
        try
        {
            if (!File.Exists(Path))
            {
                return null;
            }

            text = File.ReadAllText(Path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new FeatureReleaseException($"Cannot read the features file {Path}: {exception.Message}; check that it is a readable file.", exception);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: ReadOptions) as JsonObject
                ?? throw new FeatureReleaseException($"The features file {Path} must hold a JSON object; fix it or remove it to start afresh.");
        }
        catch (JsonException exception)
        {
            throw new FeatureReleaseException($"The features file {Path} is not valid JSON (line {exception.LineNumber + 1}): fix it or remove it to start afresh.", exception);
        }
    }

    private JsonArray? Flags(JsonObject? root, bool create)
    {
        if (root is null)
        {
            return null;
        }

        var section = root[FeatureFlagJson.Section];
        if (section is null)
        {
            if (!create)
            {
                return null;
            }

            section = new JsonObject();
            root[FeatureFlagJson.Section] = section;
        }

        if (section is not JsonObject management)
        {
            throw Malformed($"'{FeatureFlagJson.Section}' must be an object");
        }

        var flags = management[FeatureFlagJson.Flags];
        if (flags is null && create)
        {
            flags = new JsonArray();
            management[FeatureFlagJson.Flags] = flags;
        }

        return flags switch
        {
            null => null,
            JsonArray array => array,
            _ => throw Malformed($"'{FeatureFlagJson.Section}.{FeatureFlagJson.Flags}' must be an array of {{ \"id\": ..., \"enabled\": ... }} entries"),
        };
    }

    private JsonObject? Find(JsonArray? flags, string feature)
    {
        if (flags is null)
        {
            return null;
        }

        JsonObject? found = null;
        foreach (var node in flags)
        {
            if (node is not JsonObject flag)
            {
                throw Malformed($"every entry of '{FeatureFlagJson.Section}.{FeatureFlagJson.Flags}' must be an object");
            }

            // Configuration keys are case-insensitive, and the feature manager takes the last entry of an id.
            if (string.Equals(FeatureFlagJson.Id(Path, flag), feature, StringComparison.OrdinalIgnoreCase))
            {
                found = flag;
            }
        }

        return found;
    }

    private void Replace(string text)
    {
        try
        {
            // Private: the file lives in the deployment state, which is the user's alone (and a release runs as the user).
            AtomicFile.WriteAllText(Path, text, privateToUser: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new FeatureReleaseException($"Cannot write the features file {Path}: {exception.Message}; check that its folder is writable.", exception);
        }
    }

    private FeatureReleaseException Malformed(string problem) =>
        new($"The features file {Path} is not in Microsoft.FeatureManagement's format: {problem}; fix it or remove it to start afresh.");
}
