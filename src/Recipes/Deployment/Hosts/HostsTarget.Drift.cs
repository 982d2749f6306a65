using Recipes.Deployment.Drift;
using Recipes.Deployment.Local;

namespace Recipes.Deployment.Hosts;

/// <summary>
/// Drift over SSH: each release's files are listed on the host right after it is unpacked and checked, before anything
/// runs from it, and recorded on this machine (a host's own copy could be edited with the release); Drift lists each
/// host's live release again with find and sha256sum there and compares.
/// </summary>
internal sealed partial class HostsTarget : IReleaseFileListing
{
    /// <summary>Every host's started slots with their files now; a host that cannot be reached is one place not checked.</summary>
    async Task<IReadOnlyList<LiveRelease>> IReleaseFileListing.ListLiveAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var (settings, key, pins) = FleetConnection.Credentials(environment);
        var serving = LiveSlot(environment, Balancer(environment));
        var hosts = await Task.WhenAll(settings.Hosts.Select(async host =>
        {
            try
            {
                using var session = await SshSession.OpenAsync(host, key, pins, cancellationToken);
                var live = await new HostReleases(session).ListLiveAsync(environment.Artifact, cancellationToken);
                // A host wiped clean or new in the file runs nothing while nginx serves the others: not a host as deployed.
                return live.Count > 0 || serving is null
                    ? live
                    : [new LiveRelease($"host {host.Name}", "-", "-", null, $"no release is started on it while slot {serving} serves; rebuild it with ./build.sh --target=Reprovision --environment={environment.Name} --host={host.Address}")];
            }
            catch (RecipeException exception)
            {
                return (IReadOnlyList<LiveRelease>)[new LiveRelease($"host {host.Name}", "-", "-", null, exception.Message)];
            }
        }));
        return [.. hosts.SelectMany(releases => releases)];
    }

    /// <summary>
    /// Whether the kept release folder <paramref name="folder"/> on <paramref name="host"/> still has exactly the files
    /// of its manifest, so a Rollback may start it again; a drifted folder or one without a manifest is not reused.
    /// </summary>
    private async Task<bool> UndriftedAsync(HostReleases host, string folder, DeploymentEnvironment environment, CancellationToken cancellationToken) =>
        new ReleaseManifests(services.StateDirectory).Load(environment.Name, HostReleases.ManifestName(folder)) is { } manifest
        && DriftComparison.Compare(manifest.Files, await host.ListFilesAsync(folder, cancellationToken), environment.DriftIgnore).Count == 0;

    /// <summary>Uploads the package to <paramref name="host"/> (a fresh folder, SHA-512 checked there) and records the folder's files as the release's manifest.</summary>
    /// <returns>The release folder on the host.</returns>
    private async Task<string> UploadRecordedAsync(HostReleases host, DownloadedPackage package, DeploymentEnvironment environment, string digest, CancellationToken cancellationToken)
    {
        var folder = await host.UploadAsync(package, environment.Artifact, digest, cancellationToken);
        var files = await host.ListFilesAsync(folder, cancellationToken);
        // Every host unpacks the same checked bytes, so each writes the same manifest (atomically, under one name).
        new ReleaseManifests(services.StateDirectory).Save(
            environment.Name, new ReleaseManifest(HostReleases.ManifestName(folder), environment.Artifact, package.Version, digest, DateTimeOffset.UtcNow, files));
        return folder;
    }
}
