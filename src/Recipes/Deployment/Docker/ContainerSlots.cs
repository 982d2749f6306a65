using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Docker;

/// <summary>
/// The docker target's slot runtime: the shared strategies start, check and stop containers through this. A
/// container that died (a crash, an OOM kill, <c>docker kill</c>) is noticed whenever the environment's slots are
/// looked at (every Deploy and Status) and replaced by a fresh container from the same digest on the same port.
/// </summary>
/// <remarks>
/// Why no engine restart policy: a container the engine restarts by itself keeps its writable state and its
/// restarts stay invisible to the deployment's log; replacing it here starts a fresh one from the image and says so.
/// </remarks>
internal sealed class ContainerSlots(ContainerReleases containers, DockerEngine engine, string stateDirectory, Action<string> log) : ISlotRuntime
{
    private static readonly CancellationToken None = CancellationToken.None;

    public async Task<ISlotInstance> StartHealthyAsync(
        string environment, string slot, IPreparedRelease release, ReleaseStartOptions options, HealthCheck health, Action<ISlotInstance> started, CancellationToken cancellationToken)
    {
        var image = release as ImageRelease
            ?? throw new ArgumentException($"{release.Id} {release.Version} at {release.Location} is not an image; the docker target runs only images.", nameof(release));
        var inSlot = await InSlotAsync(environment, slot, cancellationToken);
        if (inSlot.FirstOrDefault(container => container.Running) is { } running)
        {
            throw new RecipeException($"Slot {slot} of {environment} already runs container {running.Name}; stop it first.");
        }

        foreach (var dead in inSlot)
        {
            await engine.RemoveAsync(dead.Id, cancellationToken);
        }

        var container = await containers.StartAsync(environment, slot, image, null, Variables(options), Folders(environment, options), null, health, cancellationToken);
        var instance = new ContainerInstance(container, image);
        started(instance);
        try
        {
            await containers.WaitHealthyAsync(container, health, cancellationToken);
        }
        catch (RecipeException unhealthy)
        {
            // An unhealthy release is not a live one that died: remove it, so that no later look at the slots revives it.
            await containers.StopAsync(container.ContainerId, TimeSpan.Zero, None);
            throw new ReleaseUnhealthyException(unhealthy.Message);
        }

        return instance;
    }

    public async Task StopAsync(string environment, string slot, TimeSpan grace, CancellationToken cancellationToken)
    {
        foreach (var container in await InSlotAsync(environment, slot, cancellationToken))
        {
            await containers.StopAsync(container.Id, grace, cancellationToken);
            log($"Stopped and removed container {container.Name} of slot {slot}");
        }
    }

    // The slot runtime's interface is synchronous (the local target reads state files); the engine answers on loopback.
    public IReadOnlyList<SlotReport> Status(string environment) => StatusAsync(environment).GetAwaiter().GetResult();

    public bool IsRunning(ISlotInstance instance) =>
        instance is ContainerInstance container
        && engine.InspectAsync(container.Container.ContainerId, None).GetAwaiter().GetResult() is { Running: true };

    // Pulled images are the engine's to keep or prune (see ImageArtifacts.Prune); no release folder is in use.
    public IReadOnlyList<string> InUse() => [];

    public string? Caveat(IPreparedRelease release) => null;

    private async Task<IReadOnlyList<SlotReport>> StatusAsync(string environment)
    {
        var reports = new List<SlotReport>();
        foreach (var state in await containers.ListAsync(environment, None))
        {
            var current = state.Running ? state : await ReplaceDeadAsync(environment, state);
            reports.Add(Report(environment, current, state.Running ? null : state));
        }

        return reports;
    }

    /// <summary>
    /// Replaces a container that died by a fresh one from the same digest, on the same slot and port, and waits for it
    /// to pass the health check the dead one was started with: Status then says it serves, not merely that it started.
    /// </summary>
    /// <exception cref="RecipeException">The replacement did not become healthy: one line naming it and its last log line.</exception>
    private async Task<ContainerState> ReplaceDeadAsync(string environment, ContainerState dead)
    {
        var definition = await engine.DefinitionOfAsync(dead.Id, None)
            ?? throw new RecipeException($"Container {dead.Name} of {environment} vanished while it was being replaced; run Status again.");
        var slot = dead.Label(ContainerLabels.Slot) ?? "slot";
        log($"Container {dead.Name} of {environment} (slot {slot}) died with exit code {dead.ExitCode}; replacing it from {definition.Image} on the same port");
        await engine.RemoveAsync(dead.Id, None);
        var name = ContainerReleases.NewName(environment, slot);
        var id = await engine.StartAsync(definition with { Name = name }, None);
        var port = int.Parse(dead.Label(ContainerReleases.PortLabel) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var health = ContainerReleases.HealthOf(dead);
        try
        {
            await containers.WaitHealthyAsync(new ReleaseContainer(id, environment, slot, port, definition.Image, null), health, None);
        }
        catch (RecipeException unhealthy)
        {
            var lastLine = await engine.LastLogLineAsync(id, None) ?? "(it wrote nothing)";
            throw new RecipeException(
                $"Container {name} that replaced {dead.Name} of {environment} is not healthy ({unhealthy.Message.TrimEnd('.')}); its last log line: {lastLine}", unhealthy);
        }

        log($"Container {name} of {environment} (slot {slot}) is healthy: GET {health.Path} answered {health.ExpectedStatus}");
        return await engine.InspectAsync(id, None)
            ?? throw new RecipeException($"The replacement of container {dead.Name} of {environment} vanished at once; see the engine's log.");
    }

    private SlotReport Report(string environment, ContainerState state, ContainerState? replaced)
    {
        var port = int.Parse(state.Label(ContainerReleases.PortLabel) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var digest = state.Label(ContainerLabels.Digest) ?? "";
        var release = new ImageRelease(state.Label(ContainerReleases.ArtifactLabel) ?? "", state.Label(ContainerReleases.VersionLabel) ?? "", state.Label(ContainerReleases.RepositoryLabel) ?? "", digest);
        var instance = new ContainerInstance(new ReleaseContainer(state.Id, environment, state.Label(ContainerLabels.Slot) ?? "", port, release.Location, null), release);
        var health = state.Running
            ? replaced is null ? "running" : $"running and healthy, replaced container {replaced.Name} that died with exit code {replaced.ExitCode}"
            : $"dead, exit code {state.ExitCode}";
        return new SlotReport(instance, state.Running ? SlotState.Running : SlotState.Dead, health, $"container {state.Id[..12]}, port {port}");
    }

    private async Task<IReadOnlyList<ContainerState>> InSlotAsync(string environment, string slot, CancellationToken cancellationToken) =>
        [.. (await containers.ListAsync(environment, cancellationToken)).Where(container => container.Label(ContainerLabels.Slot) == slot)];

    /// <summary>The environment's config and its declared secrets, each secret read from the deploying process's variable.</summary>
    private static Dictionary<string, string> Variables(ReleaseStartOptions options)
    {
        var variables = new Dictionary<string, string>(options.Variables, StringComparer.Ordinal);
        if (options.AspNetCoreEnvironment is { } name)
        {
            variables["ASPNETCORE_ENVIRONMENT"] = name;
        }

        foreach (var (appVariable, buildVariable) in options.Secrets)
        {
            variables[appVariable] = System.Environment.GetEnvironmentVariable(buildVariable)
                ?? throw new RecipeException($"Secret {appVariable} is read from the variable {buildVariable}, which is not set; set it and deploy again.");
        }

        return variables;
    }

    private ContainerFolders Folders(string environment, ReleaseStartOptions options)
    {
        var features = options.Variables.GetValueOrDefault(Deployer.FeaturesFileVariable) ?? Path.Combine(stateDirectory, environment, "features.json");
        // As the mounts' owner, not the image's user (app on the SDK's images): see MountOwner for why.
        return new ContainerFolders(features, Path.Combine(stateDirectory, environment, "data"), MountOwner.OfThisProcess());
    }
}

/// <summary>A release container in a slot, as the shared strategies see it.</summary>
internal sealed record ContainerInstance(ReleaseContainer Container, ImageRelease Image) : ISlotInstance
{
    public string Environment => Container.Environment;

    public string Slot => Container.Slot;

    public string InstanceId => $"container {Container.ContainerId[..12]}";

    public int Port => Container.Port;

    public Uri Address => Container.Address;

    public IPreparedRelease Release => Image;

    public string Logs => $"docker logs {Container.ContainerId[..12]}";
}
