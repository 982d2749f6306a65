using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Docker;

/// <summary>
/// The docker target's artifacts: fetching asks the registry what the version's tag points to (the deployer then
/// refuses a tag re-pushed with other content, before anything starts); preparing pulls that digest, never the tag.
/// </summary>
internal sealed class ImageArtifacts(DockerEngine engine, RegistryTags registry, Action<string> log) : IReleaseArtifacts
{
    public async Task<FetchedArtifact> FetchAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        await engine.PingAsync(cancellationToken);
        var repository = DockerTarget.Repository(request.Environment);
        var digest = await registry.ResolveAsync(repository, request.Version, cancellationToken);
        var release = new ImageRelease(request.Environment.Artifact, request.Version, repository, digest);
        return new FetchedArtifact(digest, "sha256", $"in the registry as {repository}:{request.Version}", release);
    }

    public async Task<IPreparedRelease> PrepareAsync(DeploymentEnvironment environment, FetchedArtifact artifact, CancellationToken cancellationToken)
    {
        var release = artifact.Handle as ImageRelease
            ?? throw new ArgumentException("The docker target prepares only images it resolved itself.", nameof(artifact));
        await engine.PullAsync(release.Repository, release.Digest, cancellationToken);
        log($"{release.Id} {release.Version} is {release.Location}, pulled by digest");
        return release;
    }

    public IPreparedRelease? FindKept(DeploymentEnvironment environment, DeploymentRecord record)
    {
        var release = new ImageRelease(record.Artifact, record.Version, DockerTarget.Repository(environment), record.Digest);
        return ImageDigest.IsValid(record.Digest) && engine.InspectImageAsync(release.Location, CancellationToken.None).GetAwaiter().GetResult() is not null
            ? release
            : null;
    }

    // Images stay in the engine's store, shared by every environment: removing them is the engine owner's job (docker image prune).
    public void Prune(DeploymentEnvironment environment, IReadOnlyList<string> inUse)
    {
    }
}
