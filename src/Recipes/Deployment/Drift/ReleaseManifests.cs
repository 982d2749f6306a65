using System.Text.Json;

namespace Recipes.Deployment.Drift;

/// <summary>The files of one release as it was deployed, before anything ran from it.</summary>
/// <param name="Release">The release's name, the same on every slot and host that runs it (its folder's name).</param>
/// <param name="Artifact">The artifact's id.</param>
/// <param name="Version">Its version.</param>
/// <param name="Digest">The digest it was checked against.</param>
/// <param name="Recorded">When the files were listed.</param>
/// <param name="Files">Every file, sorted by path.</param>
internal sealed record ReleaseManifest(string Release, string Artifact, string Version, string Digest, DateTimeOffset Recorded, IReadOnlyList<ReleaseFileEntry> Files);

/// <summary>
/// The manifests of an environment's releases, one JSON file per release in
/// <c>&lt;state&gt;/manifests/&lt;environment&gt;/&lt;release&gt;.json</c>, written at deploy time and deleted with
/// the release.
/// </summary>
/// <remarks>
/// A file per release rather than a ledger table: a manifest belongs to a release folder, which outlives the ledger
/// row that unpacked it (a Rollback starts a kept folder again under a new row) and dies when it is pruned, while
/// ledger rows stay forever; a file needs no schema change and is deleted with its folder. It lives in the state
/// folder (0700, on the deploying machine), never in the release folder, so whoever edits a release cannot edit
/// its manifest to match.
/// </remarks>
internal sealed class ReleaseManifests(string stateDirectory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records <paramref name="manifest"/> for <paramref name="environment"/>, replacing one of the same release.</summary>
    public void Save(string environment, ReleaseManifest manifest) =>
        AtomicFile.WriteAllText(PathOf(environment, manifest.Release), JsonSerializer.Serialize(manifest, Json), privateToUser: true);

    /// <summary>The manifest of <paramref name="release"/>, or null when none was recorded (a release deployed before Recipes recorded them).</summary>
    /// <exception cref="RecipeException">The file is there but damaged.</exception>
    public ReleaseManifest? Load(string environment, string release)
    {
        var path = PathOf(environment, release);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ReleaseManifest>(File.ReadAllText(path), Json)
                ?? throw new JsonException("it holds null");
        }
        catch (JsonException exception)
        {
            throw new RecipeException($"The manifest {path} is damaged ({exception.Message}); deploy again to record a new release and its manifest.", exception);
        }
    }

    /// <summary>Deletes the manifests of <paramref name="releases"/>, such as release folders just pruned.</summary>
    public void Delete(string environment, IEnumerable<string> releases)
    {
        foreach (var release in releases)
        {
            File.Delete(PathOf(environment, release));
        }
    }

    /// <summary>The file of <paramref name="release"/>'s manifest.</summary>
    public string PathOf(string environment, string release)
    {
        if (release.IndexOfAny(['/', '\\']) >= 0 || release is "" or "." or "..")
        {
            throw new ArgumentException($"'{release}' is not a release name.", nameof(release));
        }

        return Path.Combine(stateDirectory, "manifests", environment, release + ".json");
    }
}
