using System.Net;
using System.Net.Sockets;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Docker;

/// <summary>A release running as a container in one slot of an environment.</summary>
/// <param name="ContainerId">The engine's id of the container.</param>
/// <param name="Environment">The environment.</param>
/// <param name="Slot"><c>blue</c> or <c>green</c>.</param>
/// <param name="Port">The 127.0.0.1 port the app listens on (host network).</param>
/// <param name="Image">The image it runs, by digest.</param>
/// <param name="LedgerId">The ledger row of the deployment that started it, when known.</param>
internal sealed record ReleaseContainer(string ContainerId, string Environment, string Slot, int Port, string Image, long? LedgerId)
{
    /// <summary>The app's root address.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}/");
}

/// <summary>
/// The docker target's slots: each release is a fresh container started from its image by digest on a free
/// 127.0.0.1 port, with the environment's config, its declared secrets, the features file's folder (read-only) and
/// the data folder mounted; found again by its labels, stopped with a grace period and removed.
/// </summary>
internal sealed class ContainerReleases(DockerEngine engine, Action<string> log)
{
    /// <summary>Where the environment's folder (with the features file) is mounted read-only in every container.</summary>
    public const string EnvironmentMount = "/recipes/environment";

    /// <summary>Where the environment's data folder is mounted, writable, in every container.</summary>
    public const string DataMount = "/recipes/data";

    /// <summary>The label that carries the app's port, so that a dead container is replaced on the same one.</summary>
    public const string PortLabel = "recipes.port";

    /// <summary>
    /// The label that carries the health check the container was started with (<c>status timeout-seconds path</c>), so
    /// that a replacement of a dead container is checked the same way without the environments file.
    /// </summary>
    public const string HealthLabel = "recipes.health";

    /// <summary>Labels that say which release a container runs, so that Status can name it without the ledger.</summary>
    public const string ArtifactLabel = "recipes.artifact", VersionLabel = "recipes.version", RepositoryLabel = "recipes.repository";

    /// <summary>A fresh, unique container name: <c>recipes-&lt;environment&gt;-&lt;slot&gt;-&lt;6 hex&gt;</c>.</summary>
    public static string NewName(string environment, string slot) => $"recipes-{environment}-{slot}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// Starts <paramref name="release"/> in <paramref name="slot"/>. <paramref name="variables"/> are the environment's
    /// config and secrets (values already resolved); nothing else of the deploying process reaches the container.
    /// </summary>
    public async Task<ReleaseContainer> StartAsync(
        string environment, string slot, ImageRelease release, long? ledgerId, IReadOnlyDictionary<string, string> variables,
        ContainerFolders folders, int? port, HealthCheck health, CancellationToken cancellationToken)
    {
        var chosenPort = port ?? FreeLoopbackPort();
        var all = new Dictionary<string, string>(variables, StringComparer.Ordinal)
        {
            // Loopback only: on the host's network, the image's default (all interfaces, port 8080) would be public.
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{chosenPort}",
            ["ASPNETCORE_HTTP_PORTS"] = "",
            ["RECIPES_FEATURES_FILE"] = $"{EnvironmentMount}/{Path.GetFileName(folders.FeaturesFile)}",
            ["RECIPES_DATA_DIR"] = DataMount,
        };
        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Environment] = environment,
            [ContainerLabels.Slot] = slot,
            [ContainerLabels.Digest] = release.Digest,
            [ArtifactLabel] = release.Id,
            [VersionLabel] = release.Version,
            [RepositoryLabel] = release.Repository,
            [PortLabel] = chosenPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [HealthLabel] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{health.ExpectedStatus} {health.Timeout.TotalSeconds:0} {health.Path}"),
        };
        if (ledgerId is not null)
        {
            labels[ContainerLabels.LedgerId] = ledgerId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Directory.CreateDirectory(folders.DataFolder);
        var definition = new ContainerDefinition(NewName(environment, slot), release.Location, all, labels)
        {
            Mounts =
            [
                new ContainerMount(Path.GetDirectoryName(Path.GetFullPath(folders.FeaturesFile))!, EnvironmentMount, ReadOnly: true),
                new ContainerMount(Path.GetFullPath(folders.DataFolder), DataMount, ReadOnly: false),
            ],
            User = folders.User,
        };
        var id = await engine.StartAsync(definition, cancellationToken);
        log($"Started {release.Location} in slot {slot} of {environment} as container {definition.Name} on 127.0.0.1:{chosenPort}");
        return new ReleaseContainer(id, environment, slot, chosenPort, release.Location, ledgerId);
    }

    /// <summary>Waits until the release answers <paramref name="check"/> (see <see cref="HealthPoller"/>); fails at once when its container stops.</summary>
    /// <exception cref="ReleaseUnhealthyException">The container stopped, or did not answer as expected in time.</exception>
    public Task WaitHealthyAsync(ReleaseContainer release, HealthCheck check, CancellationToken cancellationToken) =>
        HealthPoller.WaitAsync(
            new Uri(release.Address, check.Path.TrimStart('/')),
            check,
            $"{release.Image} in slot {release.Slot} (container {Short(release.ContainerId)})",
            async token => await engine.InspectAsync(release.ContainerId, token) is { Running: true } ? null
                : $"stopped (exit code {(await engine.InspectAsync(release.ContainerId, token))?.ExitCode})",
            () => Task.FromResult($"; see docker logs {Short(release.ContainerId)}"),
            null,
            cancellationToken);

    private static string Short(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;

    /// <summary>The health check a container was started with (its <see cref="HealthLabel"/>), or the default one for a container without it.</summary>
    public static HealthCheck HealthOf(ContainerState container)
    {
        var parts = container.Label(HealthLabel)?.Split(' ', 3);
        return parts is [var status, var seconds, var path]
            && int.TryParse(status, System.Globalization.CultureInfo.InvariantCulture, out var expected)
            && int.TryParse(seconds, System.Globalization.CultureInfo.InvariantCulture, out var timeout)
            ? new HealthCheck(path, TimeSpan.FromSeconds(timeout), expected)
            : HealthCheck.Default;
    }

    /// <summary>The environment's containers, running or dead, as the engine knows them.</summary>
    public async Task<IReadOnlyList<ContainerState>> ListAsync(string environment, CancellationToken cancellationToken) =>
        await engine.ListAsync(new Dictionary<string, string> { [ContainerLabels.Environment] = environment }, cancellationToken);

    /// <summary>Stops the container (SIGTERM, then SIGKILL after <paramref name="grace"/>) and removes it: nothing of a release survives it.</summary>
    public async Task StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken)
    {
        await engine.StopAsync(containerId, grace, cancellationToken);
        await engine.RemoveAsync(containerId, cancellationToken);
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>What a release container gets from the host.</summary>
/// <param name="FeaturesFile">The environment's features file; its folder is mounted read-only so that rewrites (by rename) reach the app.</param>
/// <param name="DataFolder">The environment's data folder, kept across releases.</param>
/// <param name="User">The <c>uid:gid</c> the app runs as: the deploying user's, so that it reads and writes the mounts as a local release would.</param>
internal sealed record ContainerFolders(string FeaturesFile, string DataFolder, string? User);
