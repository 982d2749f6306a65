using Recipes.Deployment.Drift;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Local;

/// <summary>
/// The local target's artifacts: packages downloaded from the feed and unpacked into read-only release folders of the
/// environment's <see cref="ReleaseStore"/>, kept (a few) for rollbacks without the feed. Each folder's files are
/// recorded (see <see cref="ReleaseManifests"/>) once it is read-only and before anything runs from it, for Drift.
/// </summary>
internal sealed class LocalReleaseArtifacts(string stateDirectory, Action<string> log) : IReleaseArtifacts
{
    /// <summary>Release folders kept per environment besides those in use, for rollbacks without the feed.</summary>
    public const int KeptReleases = 3;

    public async Task<FetchedArtifact> FetchAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        var download = await Store(request.Environment).DownloadAsync(request.Feed, request.Environment.Artifact, request.Version, cancellationToken);
        return new FetchedArtifact(download.Sha512, "SHA-512", $"in {request.Feed.DisplayName}", download)
        {
            PackageFile = download.Path,
            Cleanup = () =>
            {
                File.Delete(download.Path);
                return ValueTask.CompletedTask;
            },
        };
    }

    public Task<IPreparedRelease> PrepareAsync(DeploymentEnvironment environment, FetchedArtifact artifact, CancellationToken cancellationToken)
    {
        var download = artifact.Handle as DownloadedPackage
            ?? throw new ArgumentException("The local target prepares only packages it downloaded itself.", nameof(artifact));
        var release = Store(environment).Unpack(download, environment.Artifact, download.Version);
        Manifests.Save(environment.Name, new ReleaseManifest(
            Path.GetFileName(release.Folder), release.Id, release.Version, release.Digest, DateTimeOffset.UtcNow, ReleaseFileEntry.OfFolder(release.Folder)));
        log($"{release.Id} {release.Version} matches SHA-512 {release.ShortDigest}… and is unpacked, read-only, in {release.Folder}");
        return Task.FromResult<IPreparedRelease>(release);
    }

    /// <summary>A kept folder, unless it drifted from its manifest (or has none): then null, so the package is fetched and checked again.</summary>
    public IPreparedRelease? FindKept(DeploymentEnvironment environment, DeploymentRecord record)
    {
        if (Store(environment).FindExisting(record.Artifact, record.Version, record.Digest) is not { } kept)
        {
            return null;
        }

        var name = Path.GetFileName(kept.Folder);
        var why = Drifted(environment, name, kept.Folder);
        if (why is null)
        {
            return kept;
        }

        log($"{name} {why}; fetching {record.Version} again rather than starting it");
        return null;
    }

    /// <summary>How a kept folder differs from its manifest, or null when it does not.</summary>
    private string? Drifted(DeploymentEnvironment environment, string name, string folder)
    {
        if (Manifests.Load(environment.Name, name) is not { } manifest)
        {
            return "has no manifest of its files, so whether it changed since it was unpacked is unknown";
        }

        try
        {
            var findings = DriftComparison.Compare(manifest.Files, ReleaseFileEntry.OfFolder(folder), environment.DriftIgnore);
            return findings.Count == 0 ? null : $"drifted since it was unpacked ({findings.Count} file(s), first {findings[0]})";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read to compare with its manifest ({exception.Message})";
        }
    }

    public void Prune(DeploymentEnvironment environment, IReadOnlyList<string> inUse) =>
        Manifests.Delete(environment.Name, Store(environment).Prune(KeptReleases, inUse).Select(Path.GetFileName).OfType<string>());

    public IReadOnlyList<string> Kept(DeploymentEnvironment environment) => [.. Store(environment).ListFolders().Select(Path.GetFileName).OfType<string>()];

    private ReleaseManifests Manifests { get; } = new(stateDirectory);

    private ReleaseStore Store(DeploymentEnvironment environment) => new(Path.Combine(stateDirectory, "releases", environment.Name));
}
