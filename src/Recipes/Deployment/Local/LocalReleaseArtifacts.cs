using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Local;

/// <summary>
/// The local target's artifacts: packages downloaded from the feed and unpacked into read-only release folders of the
/// environment's <see cref="ReleaseStore"/>, kept (a few) for rollbacks without the feed.
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
        log($"{release.Id} {release.Version} matches SHA-512 {release.ShortDigest}… and is unpacked, read-only, in {release.Folder}");
        return Task.FromResult<IPreparedRelease>(release);
    }

    public IPreparedRelease? FindKept(DeploymentEnvironment environment, DeploymentRecord record) =>
        Store(environment).FindExisting(record.Artifact, record.Version, record.Digest);

    public void Prune(DeploymentEnvironment environment, IReadOnlyList<string> inUse) => Store(environment).Prune(KeptReleases, inUse);

    public IReadOnlyList<string> Kept(DeploymentEnvironment environment) => [.. Store(environment).ListFolders().Select(Path.GetFileName).OfType<string>()];

    private ReleaseStore Store(DeploymentEnvironment environment) => new(Path.Combine(stateDirectory, "releases", environment.Name));
}
