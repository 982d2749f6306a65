using System.Globalization;
using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Slots;

/// <summary>
/// The four strategies on every slot target (local processes, containers). Each leaves the environment either on the new release (success) or on
/// the one that served before (a <see cref="RolloutFailedException"/>): never half-switched.
/// </summary>
internal static class Rollouts
{
    public static async Task RunAsync(Rollout rollout)
    {
        try
        {
            await (rollout.Environment.Strategy switch
            {
                _ when rollout.Live is null => FirstAsync(rollout),
                InPlaceStrategy => InPlaceAsync(rollout),
                BlueGreenStrategy blueGreen => BlueGreenAsync(rollout, blueGreen),
                CanaryStrategy canary => CanaryRollout.RunAsync(rollout, canary),
                DarkLaunchStrategy dark => DarkLaunchAsync(rollout, dark),
                var other => throw new RecipeException($"The strategy '{other.Kind}' is not supported on the {rollout.Environment.Target} target."),
            });
        }
        catch (OperationCanceledException) when (rollout.Started is not null && rollout.Live is { } live && rollout.Slots.IsRunning(live.Process))
        {
            // Ctrl+C while traffic is split or moved (a slow start, a canary step, a dark launch's mirror, the checks
            // after a switch): the environment goes back to the release that still runs, never left half-switched.
            await rollout.SwitchBackWhenCancelledAsync();
            await rollout.StopNewAsync();
            rollout.Note($"cancelled: all traffic back to {live.Process.Release.Version} in slot {live.Slot}, {rollout.Release.Version} stopped");
            throw;
        }
    }

    /// <summary>The ledger's strategy for a first deployment, whatever the environment's: no strategy ran.</summary>
    public const string FirstDeployment = "first";

    /// <summary>
    /// Nothing serves yet, so there is nothing to compare with or keep warm: start, check, route. The router starts only
    /// once the release is healthy, so a failed first deployment leaves the public port as it was: closed.
    /// </summary>
    private static async Task FirstAsync(Rollout rollout)
    {
        var environment = rollout.Environment;
        rollout.Note($"first deployment of {environment.Name}: nothing is live to {Compared(environment.Strategy)}, so no {environment.Strategy.Kind}; all traffic to {rollout.Release.Version} once healthy");
        try
        {
            await rollout.StartAsync();
            await rollout.SwitchToNewAsync();
        }
        catch (Exception failure) when (failure is RecipeException or OperationCanceledException)
        {
            await rollout.StopNewAsync();
            rollout.Note($"nothing was live in {environment.Name} and nothing is: {rollout.Release.Version} stopped, port {environment.Port} left closed");
            throw;
        }
    }

    private static string Compared(DeploymentStrategy strategy) => strategy switch
    {
        CanaryStrategy => "compare the canary with",
        DarkLaunchStrategy => "mirror requests from",
        _ => "switch from",
    };

    /// <summary>The line a traffic switch is reported with, by Deploy and Rollback alike.</summary>
    public static string Switched(Rollout rollout) => rollout.Live is { } live
        ? $"switched {rollout.Environment.Name} from {live.Slot} ({live.Process.Release.Version}) to {rollout.Slot} ({rollout.Release.Version}) in {Milliseconds(rollout.SwitchTime)}"
        : $"switched {rollout.Environment.Name} to {rollout.Slot} ({rollout.Release.Version}) in {Milliseconds(rollout.SwitchTime)}";

    /// <summary>Phoenix: stop the old release, start the new one in a fresh folder. Traffic fails while neither runs.</summary>
    private static async Task InPlaceAsync(Rollout rollout)
    {
        await rollout.StopLiveAsync();
        try
        {
            await rollout.StartAsync();
        }
        catch (RecipeException failure)
        {
            await rollout.StopNewAsync();
            await RestartLiveAsync(rollout, failure);
            throw;
        }

        await rollout.SwitchToNewAsync();
        rollout.Note($"in place: {rollout.Live!.Process.Release.Version} replaced by {rollout.Release.Version}");
    }

    private static async Task BlueGreenAsync(Rollout rollout, BlueGreenStrategy strategy)
    {
        await StartOrStopAsync(rollout);
        if (strategy.SlowStart > TimeSpan.Zero)
        {
            await SlowStartAsync(rollout, strategy.SlowStart);
        }

        await rollout.SwitchToNewAsync(continuesSwitch: strategy.SlowStart > TimeSpan.Zero);
        rollout.Note(Switched(rollout));
        try
        {
            // Checked again through the public port: the route itself may be wrong.
            await rollout.SmokeAsync(new Uri($"http://127.0.0.1:{rollout.Environment.Port}/"), $"the public port {rollout.Environment.Port}");
        }
        catch (RolloutFailedException)
        {
            await rollout.SwitchBackAsync();
            await rollout.StopNewAsync();
            rollout.Note($"switched back to {rollout.Live!.Slot}");
            throw;
        }

        if (strategy.GracePeriod > TimeSpan.Zero)
        {
            // The deployment ends here; the Deployer keeps the old release warm without holding the lock, then stops it.
            return;
        }

        await rollout.StopLiveAsync();
    }

    /// <summary>How often a slow start gives the new release a larger share: often enough to look gradual to the load.</summary>
    internal static readonly TimeSpan SlowStartStep = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The new release's shares during a slow start of <paramref name="slowStart"/>: one step per
    /// <see cref="SlowStartStep"/> (at least two), rising evenly below 100, which the switch then gives.
    /// </summary>
    internal static IReadOnlyList<int> SlowStartShares(TimeSpan slowStart)
    {
        var steps = Math.Max(2, (int)Math.Round(slowStart / SlowStartStep));
        return [.. Enumerable.Range(1, steps).Select(step => (int)Math.Round(100.0 * step / (steps + 1))).Distinct().Where(share => share is > 0 and < 100)];
    }

    /// <summary>
    /// Moves the traffic over in <see cref="SlowStartShares"/> while the new release tiers up; if it stops running on
    /// the way, all traffic goes back to the live release and the deployment fails, as a failed smoke check does.
    /// </summary>
    private static async Task SlowStartAsync(Rollout rollout, TimeSpan slowStart)
    {
        var live = rollout.Live!;
        var shares = SlowStartShares(slowStart);
        rollout.Log($"Slow start: {rollout.Release.Version} gets {shares[0]}% of {rollout.Environment.Name}'s traffic, rising to {shares[^1]}% over {slowStart.TotalSeconds:0.#} s, then all of it");
        var pause = slowStart / shares.Count;
        foreach (var share in shares)
        {
            await rollout.RouteAsync(new RouteConfig(
            [
                new RouteDestination(live.DestinationName, live.Process.Address, 100 - share),
                new RouteDestination(rollout.DestinationName, rollout.Started!.Address, share),
            ]), continuesSwitch: share != shares[0]);
            await Task.Delay(pause, rollout.CancellationToken);
            if (!rollout.Slots.IsRunning(rollout.Started))
            {
                await rollout.SwitchBackAsync();
                await rollout.StopNewAsync();
                var stopped = $"{rollout.Release.Version} stopped running during its slow start at {share}%; all traffic back to {live.Process.Release.Version} in slot {live.Slot}";
                rollout.Note(stopped);
                throw new RolloutFailedException($"{stopped}; its output is in {rollout.Started.Logs}");
            }
        }
    }

    /// <summary>How long the old release stays warm after a blue-green switch: zero for other strategies and first releases.</summary>
    public static TimeSpan GracePeriod(Rollout rollout) =>
        rollout.Live is not null && rollout.Environment.Strategy is BlueGreenStrategy blueGreen ? blueGreen.GracePeriod : TimeSpan.Zero;

    private static async Task DarkLaunchAsync(Rollout rollout, DarkLaunchStrategy strategy)
    {
        await StartOrStopAsync(rollout);
        var live = rollout.Live!;
        await rollout.RouteAsync(new RouteConfig(
            [new RouteDestination(live.DestinationName, live.Process.Address, 100)],
            new RouteDestination(rollout.DestinationName, rollout.Started!.Address)));
        rollout.Log($"Dark launch: copies of GET and HEAD requests go to {rollout.Release.Version} for {strategy.Duration.TotalSeconds:0.#} s; users get answers from {live.Process.Release.Version} only");
        var before = await rollout.MetricsAsync();
        try
        {
            await rollout.WatchAsync(strategy.Duration);
        }
        catch (RolloutFailedException)
        {
            await rollout.SwitchBackAsync();
            await rollout.StopNewAsync();
            throw;
        }

        var after = await rollout.MetricsAsync();
        var mirror = Delta(before, after, rollout.DestinationName);
        var rate = mirror.Mirrored == 0 ? 0 : (double)mirror.MirrorMismatches / mirror.Mirrored;
        var report = string.Create(CultureInfo.InvariantCulture,
            $"dark launch: {mirror.Mirrored} request(s) mirrored to {rollout.Release.Version}, {mirror.MirrorMismatches} answered with another status than {live.Process.Release.Version} ({rate:P1}), {mirror.MirrorDropped} dropped");
        rollout.Note(report);
        if (rate > strategy.MaxErrorRate)
        {
            await rollout.SwitchBackAsync();
            await rollout.StopNewAsync();
            throw new RolloutFailedException(string.Create(CultureInfo.InvariantCulture,
                $"{report}; more than the allowed {strategy.MaxErrorRate:P1}: {rollout.Environment.Name} stays on {live.Process.Release.Version}"));
        }

        await rollout.SwitchToNewAsync();
        rollout.Note($"all traffic to {rollout.Release.Version}");
        await rollout.StopLiveAsync();
    }

    /// <summary>Starts the new release; when it fails its checks it is stopped again and nothing else changes.</summary>
    internal static async Task StartOrStopAsync(Rollout rollout)
    {
        try
        {
            await rollout.StartAsync();
        }
        catch (RecipeException)
        {
            await rollout.StopNewAsync();
            throw;
        }
    }

    /// <summary>After a failed in-place start, the old release goes back into its slot, so the environment serves again.</summary>
    private static async Task RestartLiveAsync(Rollout rollout, RecipeException failure)
    {
        var live = rollout.Live!;
        try
        {
            var restarted = await rollout.Slots.StartHealthyAsync(
                rollout.Environment.Name, live.Slot, live.Process.Release, rollout.StartOptions, rollout.Environment.Health, _ => { }, rollout.CancellationToken);
            await rollout.RouteAsync(RouteConfig.AllTo(live.DestinationName, restarted.Address));
            rollout.Note($"{failure.Message}; restarted {live.Process.Release.Version} in slot {live.Slot}");
        }
        catch (RecipeException restartFailure)
        {
            rollout.Note($"{failure.Message}; restarting {live.Process.Release.Version} failed too: {restartFailure.Message}");
        }
    }

    /// <summary>A destination's traffic between two snapshots (the router counts from its start); latency is the later window's.</summary>
    internal static DestinationMetrics Delta(IReadOnlyDictionary<string, DestinationMetrics> before, IReadOnlyDictionary<string, DestinationMetrics> after, string name)
    {
        var empty = new DestinationMetrics(name, 0, 0, null, 0, 0, 0);
        var start = before.GetValueOrDefault(name, empty);
        var end = after.GetValueOrDefault(name, empty);
        return new DestinationMetrics(
            name,
            end.Requests - start.Requests,
            end.ServerErrors - start.ServerErrors,
            end.P95LatencyMs,
            end.Mirrored - start.Mirrored,
            end.MirrorMismatches - start.MirrorMismatches,
            end.MirrorDropped - start.MirrorDropped);
    }

    private static string Milliseconds(TimeSpan? time) => time is { } t ? $"{t.TotalMilliseconds:0} ms" : "?";
}
