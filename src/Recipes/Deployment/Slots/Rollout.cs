using System.Diagnostics;
using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Slots;

/// <summary>
/// One deployment in progress on a slot target: the environment's two slots (blue and green), its router, the
/// release going in and the one that serves now. The strategies (<see cref="Rollouts"/>) are written in its steps:
/// start the new release in the idle slot, check it, move traffic, stop the old one.
/// </summary>
internal sealed class Rollout
{
    public const string Blue = "blue";
    public const string Green = "green";

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private readonly Func<Task<RouterClient>> _openRouter;
    private readonly long _deploymentId;
    private RouterClient? _router;

    /// <summary>A rollout whose router client <paramref name="openRouter"/> gives when first needed: on a first deployment it starts the router once the new release is healthy.</summary>
    public Rollout(
        DeploymentEnvironment environment,
        ISlotRuntime slots,
        Func<Task<RouterClient>> openRouter,
        IPreparedRelease release,
        long deploymentId,
        LiveSlot? live,
        ReleaseStartOptions startOptions,
        DeploymentJournal journal,
        CancellationToken cancellationToken)
    {
        Environment = environment;
        Slots = slots;
        _openRouter = openRouter;
        _deploymentId = deploymentId;
        Release = release;
        Live = live;
        StartOptions = startOptions;
        Journal = journal;
        CancellationToken = cancellationToken;
        Slot = live?.Slot == Blue ? Green : Blue;
        DestinationName = DestinationFor(Slot, deploymentId);
    }

    public DeploymentEnvironment Environment { get; }

    /// <summary>A release's name in the router: its slot and the ledger row that put it there, so its metrics are its own.</summary>
    public static string DestinationFor(string slot, long deploymentId) => $"{slot}-{deploymentId}";

    /// <summary>What runs releases in the slots: processes or containers.</summary>
    public ISlotRuntime Slots { get; }

    /// <summary>The environment's router, once traffic has been routed (always so when a release was live before).</summary>
    public RouterClient Router => _router ?? throw new InvalidOperationException("The router of a first deployment starts when traffic first goes to the new release.");

    /// <summary>The release going in.</summary>
    public IPreparedRelease Release { get; }

    /// <summary>The slot the new release runs in: the one that does not serve now.</summary>
    public string Slot { get; private set; }

    /// <summary>The new release's name in the router (slot and ledger id), so its metrics are its own.</summary>
    public string DestinationName { get; private set; }

    /// <summary>What serves the environment now, or null on a first deployment.</summary>
    public LiveSlot? Live { get; }

    public ReleaseStartOptions StartOptions { get; }

    /// <summary>Where notes for the ledger go (the deployer's journal).</summary>
    public DeploymentJournal Journal { get; }

    public Action<string> Log => Journal.Log;

    public CancellationToken CancellationToken { get; }

    /// <summary>How often a long wait (a canary step's pause) prints what it has seen so far.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The new release's process, once <see cref="StartAsync"/> has started it.</summary>
    public ISlotInstance? Started { get; private set; }

    /// <summary>What happened, in a few words each, for the ledger and the run summary.</summary>
    public string Details => Journal.Details;

    /// <summary>How long the last traffic switch took: from the request to the router to its answer that the route is in force.</summary>
    public TimeSpan? SwitchTime { get; private set; }

    /// <summary>When the last switch began (its route change, or a slow start's first share) as a <see cref="Stopwatch"/> timestamp, for bench/deploy's switch time.</summary>
    public long? SwitchStarted { get; private set; }

    public void Note(string note) => Journal.Note(note);

    /// <summary>Starts the new release in the idle slot (stopping whatever an interrupted deployment left there), waits until healthy, runs the smoke checks on it directly.</summary>
    public async Task<ISlotInstance> StartAsync()
    {
        if (Slots.Status(Environment.Name).FirstOrDefault(s => s.Instance.Slot == Slot && s.State == SlotState.Running) is { } leftover)
        {
            await Slots.StopAsync(Environment.Name, Slot, StopGrace, CancellationToken);
            Log($"Slot {Slot} of {Environment.Name} still ran {leftover.Instance.Release.Id} {leftover.Instance.Release.Version}, which takes no traffic; stopped it");
        }

        var clock = Stopwatch.StartNew();
        var process = await Slots.StartHealthyAsync(Environment.Name, Slot, Release, StartOptions, Environment.Health, started =>
        {
            Started = started;
            Log($"Started {Release.Id} {Release.Version} in slot {Slot} of {Environment.Name} ({started.InstanceId}, port {started.Port}); waiting for GET {Environment.Health.Path} to answer {Environment.Health.ExpectedStatus}");
        }, CancellationToken);
        if (Slots.Caveat(Release) is { } caveat)
        {
            Log($"Notice: {caveat}");
        }

        Note($"{Release.Version} healthy in slot {Slot} after {clock.Elapsed.TotalSeconds:0.0} s");
        await SmokeAsync(process.Address, $"slot {Slot}");
        return process;
    }

    /// <summary>
    /// Takes a release that still runs in a slot other than the live one (kept warm after a blue-green switch) as the
    /// new release, instead of starting it: a rollback within the grace period.
    /// </summary>
    public void Adopt(ISlotInstance running)
    {
        if (running.Slot == Live?.Slot)
        {
            throw new InvalidOperationException($"Slot {running.Slot} serves now; only an idle slot's release can be switched to.");
        }

        Slot = running.Slot;
        DestinationName = DestinationFor(Slot, _deploymentId);
        Started = running;
    }

    /// <summary>Runs the environment's smoke checks against <paramref name="address"/>.</summary>
    /// <exception cref="RolloutFailedException">A check answered otherwise than expected.</exception>
    public Task SmokeAsync(Uri address, string where) => SmokeChecks.RunAsync(Environment, address, where, Note, CancellationToken);

    /// <summary>Applies <paramref name="config"/> to the router and records how long the router took.</summary>
    public async Task RouteAsync(RouteConfig config, bool continuesSwitch = false)
    {
        var router = await RouterAsync();
        if (!continuesSwitch || SwitchStarted is null)
        {
            SwitchStarted = Stopwatch.GetTimestamp();
        }

        var clock = Stopwatch.StartNew();
        await router.ApplyAsync(config, CancellationToken);
        SwitchTime = clock.Elapsed;
    }

    /// <summary>All traffic to the new release; <paramref name="continuesSwitch"/> when it already gets part of it (a slow start), so the switch counts from the first share.</summary>
    public Task SwitchToNewAsync(bool continuesSwitch = false) => RouteAsync(RouteConfig.AllTo(DestinationName, Started!.Address), continuesSwitch);

    /// <summary>All traffic back to the release that served before, when there was one.</summary>
    public async Task SwitchBackAsync()
    {
        if (Live is { } live)
        {
            await RouteAsync(RouteConfig.AllTo(live.DestinationName, live.Process.Address));
        }
    }

    /// <summary>
    /// All traffic back to the release that served before, even while the deployment is being cancelled (Ctrl+C): a
    /// cancelled slow start or canary step must not leave the environment's traffic split.
    /// </summary>
    public async Task SwitchBackWhenCancelledAsync()
    {
        if (Live is { } live)
        {
            await (await RouterAsync()).ApplyAsync(RouteConfig.AllTo(live.DestinationName, live.Process.Address), CancellationToken.None);
        }
    }

    /// <summary>Stops the new release (after a failed check or an aborted canary).</summary>
    public async Task StopNewAsync()
    {
        if (Started is not null)
        {
            await Slots.StopAsync(Environment.Name, Slot, StopGrace, CancellationToken.None);
        }
    }

    /// <summary>
    /// Stops the release that served before, once no traffic goes to it: the route no longer names it, and the router
    /// has no request on its way to it any more (waited for up to <see cref="StopGrace"/>).
    /// </summary>
    public async Task StopLiveAsync()
    {
        if (Live is { } live)
        {
            await DrainAsync(live);
            await Slots.StopAsync(Environment.Name, live.Slot, StopGrace, CancellationToken.None);
            Log($"Stopped {live.Process.Release.Version} in slot {live.Slot}");
        }
    }

    /// <summary>
    /// Waits until the router forwards nothing more to <paramref name="live"/>: requests that chose it just before the
    /// switch are still on their way, and stopping it under them would fail them. A router that cannot say (it is
    /// down, or the route still sends there) does not hold the stop up: that is said, and the release is stopped.
    /// </summary>
    private async Task DrainAsync(LiveSlot live)
    {
        if (_router is null)
        {
            return;
        }

        try
        {
            var (drained, inFlight) = await _router.DrainAsync(live.DestinationName, StopGrace, CancellationToken.None);
            if (!drained)
            {
                Log($"{inFlight} request(s) still on their way to {live.Process.Release.Version} in slot {live.Slot} after {StopGrace.TotalSeconds:0} s; stopping it anyway");
            }
        }
        catch (RecipeException e)
        {
            Log($"Could not wait for the requests on their way to {live.Process.Release.Version} in slot {live.Slot}: {e.Message}");
        }
    }

    /// <summary>Router metrics by destination name.</summary>
    public async Task<IReadOnlyDictionary<string, DestinationMetrics>> MetricsAsync() =>
        (await (await RouterAsync()).GetMetricsAsync(CancellationToken)).ToDictionary(m => m.Name, StringComparer.Ordinal);

    private async Task<RouterClient> RouterAsync() => _router ??= await _openRouter();

    /// <summary>Waits <paramref name="duration"/>, failing early when the new release dies.</summary>
    public async Task WatchAsync(TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var remaining = duration - clock.Elapsed;
            await Task.Delay(remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250), CancellationToken);
            if (Started is { } instance && !Slots.IsRunning(instance))
            {
                throw new RolloutFailedException($"{Release.Version} in slot {Slot} exited ({instance.InstanceId}); see {instance.Logs}");
            }
        }
    }
}

/// <summary>The slot that serves an environment now, as the router's route and the slot's state file say.</summary>
/// <param name="Slot">blue or green.</param>
/// <param name="DestinationName">Its name in the router.</param>
/// <param name="Process">Its running release (a process or a container).</param>
internal sealed record LiveSlot(string Slot, string DestinationName, ISlotInstance Process);

/// <summary>A check or an analysis stopped the deployment; traffic is back where it was.</summary>
internal sealed class RolloutFailedException : RecipeException
{
    /// <summary>Creates the exception with a message that says what failed.</summary>
    public RolloutFailedException(string message) : base(message)
    {
    }
}
