namespace Recipes.Deployment.Slots;

/// <summary>
/// How a slot target gets releases ready to start: the part of a target that differs with its artifact (a package
/// unpacked into a folder, an image pulled by digest), while the slots, router and strategies are shared.
/// </summary>
internal interface IReleaseArtifacts
{
    /// <summary>Fetches the request's artifact and says its real digest (see <see cref="IDeploymentTarget.FetchAsync"/>).</summary>
    Task<FetchedArtifact> FetchAsync(DeploymentRequest request, CancellationToken cancellationToken);

    /// <summary>Makes the fetched, checked artifact startable in a slot: unpacks it read-only, or pulls the image by digest.</summary>
    Task<IPreparedRelease> PrepareAsync(DeploymentEnvironment environment, FetchedArtifact artifact, CancellationToken cancellationToken);

    /// <summary>The release of <paramref name="record"/> as kept from an earlier deployment (checked then, unchanged since), or null.</summary>
    IPreparedRelease? FindKept(DeploymentEnvironment environment, DeploymentRecord record);

    /// <summary>Deletes releases of <paramref name="environment"/> beyond those kept for rollbacks, never one in <paramref name="inUse"/>.</summary>
    void Prune(DeploymentEnvironment environment, IReadOnlyList<string> inUse);

    /// <summary>The releases of <paramref name="environment"/> kept for rollbacks, oldest first, for History; none by default.</summary>
    IReadOnlyList<string> Kept(DeploymentEnvironment environment) => [];
}
