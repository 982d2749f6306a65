using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Slots;

/// <summary>
/// A target whose releases run in an environment's two slots behind the environment's router (see
/// <see cref="EnvironmentRouter"/>): the strategies of <see cref="Rollouts"/> over an <see cref="ISlotRuntime"/>, with
/// the artifacts an <see cref="IReleaseArtifacts"/> prepares. The local target runs processes; a container target
/// gives containers and images and shares everything else.
/// </summary>
internal partial class SlotTarget : IDeploymentTarget
{
    private readonly string _name;
    private readonly ISlotRuntime _slots;
    private readonly IReleaseArtifacts _artifacts;

    /// <summary>The target <paramref name="name"/>, running releases by <paramref name="slots"/>, routers and their state under <paramref name="stateDirectory"/>.</summary>
    public SlotTarget(string name, string stateDirectory, ISlotRuntime slots, IReleaseArtifacts artifacts, Action<string> log)
    {
        _name = name;
        StateDirectory = stateDirectory;
        _slots = slots;
        _artifacts = artifacts;
        Log = log;
    }

    /// <summary>How often a canary step's pause prints what it has seen so far.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The deployment state folder.</summary>
    protected string StateDirectory { get; }

    /// <summary>Writes a line to the build's output.</summary>
    protected Action<string> Log { get; }

    string IDeploymentTarget.Name => _name;

    Task<FetchedArtifact> IDeploymentTarget.FetchAsync(DeploymentRequest request, CancellationToken cancellationToken) =>
        _artifacts.FetchAsync(request, cancellationToken);

    async Task<TargetResult> IDeploymentTarget.DeployAsync(TargetDeployment deployment, CancellationToken cancellationToken)
    {
        var environment = deployment.Request.Environment;
        var release = await _artifacts.PrepareAsync(environment, deployment.Artifact, cancellationToken);
        var rollout = await BeginAsync(environment, release, deployment, cancellationToken);
        if (rollout.Live is null)
        {
            deployment.Journal.RecordStrategy(Rollouts.FirstDeployment);
        }

        await Rollouts.RunAsync(rollout);
        _artifacts.Prune(environment, _slots.InUse());
        return new TargetResult(release.Version, rollout.SwitchTime) { KeepWarm = WarmHandover.After(rollout, _slots), SwitchStarted = rollout.SwitchStarted };
    }

    async Task<IReadOnlyList<string>> IDeploymentTarget.StopAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var stopped = new List<string>();
        foreach (var slot in _slots.Status(environment.Name).Where(s => s.State == SlotState.Running))
        {
            await _slots.StopAsync(environment.Name, slot.Instance.Slot, TimeSpan.FromSeconds(10), cancellationToken);
            stopped.Add($"{slot.Instance.Release.Id} {slot.Instance.Release.Version} in slot {slot.Instance.Slot} ({slot.Instance.InstanceId})");
        }

        if (await Router(environment).StopAsync(cancellationToken))
        {
            stopped.Add($"the router on port {environment.Port}");
        }

        return stopped;
    }

    IReadOnlyList<string> IDeploymentTarget.HistoryLines(DeploymentEnvironment environment) =>
        _artifacts.Kept(environment) is { Count: > 0 } kept ? [$"kept for rollbacks without fetching again: {string.Join(", ", kept)}"] : [];

    private async Task<Rollout> BeginAsync(DeploymentEnvironment environment, IPreparedRelease release, TargetDeployment deployment, CancellationToken cancellationToken)
    {
        var router = Router(environment);
        if (router.RunningPid() is null && !_slots.Status(environment.Name).Any(slot => slot.State == SlotState.Running))
        {
            // Nothing is live: the router starts once the release is healthy, so a failure leaves the port closed.
            return new Rollout(environment, _slots, () => router.EnsureRunningAsync(cancellationToken), release, deployment.LedgerId, null, deployment.StartOptions, deployment.Journal, cancellationToken);
        }

        var client = await router.EnsureRunningAsync(cancellationToken);
        var live = await FindLiveAsync(environment, client, cancellationToken);
        return new Rollout(environment, _slots, () => Task.FromResult(client), release, deployment.LedgerId, live, deployment.StartOptions, deployment.Journal, cancellationToken)
        {
            ProgressInterval = ProgressInterval,
        };
    }

    /// <summary>The slot the router sends most traffic to, if its release still runs.</summary>
    private async Task<LiveSlot?> FindLiveAsync(DeploymentEnvironment environment, RouterClient router, CancellationToken cancellationToken)
    {
        var route = await router.GetConfigAsync(cancellationToken);
        var main = route?.Destinations.OrderByDescending(d => d.Weight).FirstOrDefault();
        if (main is null)
        {
            return null;
        }

        var running = _slots.Status(environment.Name)
            .FirstOrDefault(slot => slot.State == SlotState.Running && slot.Instance.Port == main.Address.Port);
        if (running is null)
        {
            Log($"The router of {environment.Name} points at port {main.Address.Port}, where no release of this environment runs now; deploying as if none were live");
            return null;
        }

        return new LiveSlot(running.Instance.Slot, main.Name, running.Instance);
    }

    /// <summary>The environment's router, the same for every slot target: it routes to loopback ports, whatever listens there.</summary>
    protected EnvironmentRouter Router(DeploymentEnvironment environment) => new(StateDirectory, environment.Name, environment.Port, Log);
}
