namespace Recipes.Deployment.Drift;

/// <summary>
/// What a target implements so that Drift can check it: the releases it runs for an environment, each with its files
/// as they are now. The local target lists its release folders on this machine; a target of several hosts lists each
/// host's folder (see <see cref="RemoteFileListing"/>), one <see cref="LiveRelease"/> per host and slot.
/// </summary>
internal interface IReleaseFileListing
{
    /// <summary>
    /// Every release of <paramref name="environment"/> that runs or should (every slot, on every host, whose release
    /// was not stopped), with its files now. A place that cannot be listed (a host unreachable) comes back with its
    /// <see cref="LiveRelease.Problem"/>, not as an exception, so the other places are still checked.
    /// </summary>
    Task<IReadOnlyList<LiveRelease>> ListLiveAsync(DeploymentEnvironment environment, CancellationToken cancellationToken);
}

/// <summary>One live release in one place, with its files as they are now.</summary>
/// <param name="Place">Where it runs, for the report: <c>slot blue</c>, <c>host web-2 slot green</c>.</param>
/// <param name="Release">The release's name, under which its manifest was recorded (see <see cref="ReleaseManifests"/>).</param>
/// <param name="Version">The version, for the report.</param>
/// <param name="Files">Its files now (none when its folder is gone), or null when they could not be listed.</param>
/// <param name="Problem">Why they could not be listed, or null.</param>
internal sealed record LiveRelease(string Place, string Release, string Version, IReadOnlyList<ReleaseFileEntry>? Files, string? Problem = null);
