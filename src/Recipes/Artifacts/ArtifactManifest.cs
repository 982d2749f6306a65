using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recipes.Artifacts;

/// <summary>One artifact a run produced: enough to find it in a feed and prove it is the same bytes.</summary>
/// <param name="Id">Package id.</param>
/// <param name="Version">Package version.</param>
/// <param name="Kind"><c>library</c> or <c>deployable</c>.</param>
/// <param name="File">File name of the package.</param>
/// <param name="Sha512">Lower-case hex SHA-512 of the package file.</param>
public sealed record ArtifactEntry(string Id, string Version, string Kind, string File, string Sha512)
{
    /// <summary>For a deployable app pushed to a registry: its image, by the digest the registry returned; null otherwise.</summary>
    public ContainerImage? Image { get; init; }
}

/// <summary>A deployable app's image in the team's registry. Deployments pull it by <see cref="Digest"/>, never by tag.</summary>
/// <param name="Repository">The image's full name without tag: registry, path and repository (<c>127.0.0.1:5000/service</c>).</param>
/// <param name="Tag">The tag it was pushed with: the commit's version.</param>
/// <param name="Digest">The digest of the image manifest as the registry returned it (<c>sha256:...</c>).</param>
public sealed record ContainerImage(string Repository, string Tag, string Digest)
{
    /// <summary>The reference that names exactly these bytes: <c>repository@sha256:...</c>.</summary>
    public string PinnedReference => $"{Repository}@{Digest}";
}

/// <summary>
/// <c>artifacts/manifest.json</c>: the versioned artifacts of one commit. Later stages, possibly on another machine,
/// read it to act on exactly these artifacts, fetched from the feed, never rebuilt.
/// </summary>
public sealed record ArtifactManifest
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The version every artifact of the run carries.</summary>
    public required string Version { get; init; }

    /// <summary>Full SHA of the commit built.</summary>
    public required string Commit { get; init; }

    /// <summary>The branch built.</summary>
    public required string Branch { get; init; }

    /// <summary>When the artifacts were built (UTC).</summary>
    public required DateTimeOffset BuildTime { get; init; }

    /// <summary>The CI run that built them, when there was one.</summary>
    public string? CiRunUrl { get; init; }

    /// <summary>The artifacts.</summary>
    public IReadOnlyList<ArtifactEntry> Artifacts { get; init; } = [];

    /// <summary>Writes the manifest atomically: a reader never sees half a file.</summary>
    public void Write(string path)
    {
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    /// <summary>Reads a manifest written by <see cref="Write"/>.</summary>
    public static ArtifactManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ArtifactManifest>(File.ReadAllText(path), Json)
                ?? throw new RecipeException($"The artifact manifest {path} is empty; run the commit stage again to rewrite it.");
        }
        catch (JsonException ex)
        {
            throw new RecipeException($"The artifact manifest {path} is not valid JSON ({ex.Message}); run the commit stage again to rewrite it.", ex);
        }
    }
}
