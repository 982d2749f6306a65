using System.Diagnostics;
using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Slots;

/// <summary>
/// The canary strategy: the new release gets each step's share of the traffic for the pause, printing what it has
/// seen every few seconds, optionally with synthetic probes pinned to it; then the step is judged
/// (<see cref="CanaryAnalysis"/>). A failed or inconclusive step sends all traffic back to the stable release.
/// </summary>
internal static class CanaryRollout
{
    public static async Task RunAsync(Rollout rollout, CanaryStrategy strategy)
    {
        await Rollouts.StartOrStopAsync(rollout);
        var live = rollout.Live!;
        foreach (var step in strategy.Steps)
        {
            if (step == 100)
            {
                await rollout.SwitchToNewAsync();
                break;
            }

            await rollout.RouteAsync(new RouteConfig(
            [
                new RouteDestination(live.DestinationName, live.Process.Address, 100 - step),
                new RouteDestination(rollout.DestinationName, rollout.Started!.Address, step),
            ]));
            rollout.Log($"Canary at {step}%: {rollout.Release.Version} gets {step}% of {rollout.Environment.Name}'s traffic for {strategy.Pause.TotalSeconds:0.#} s and needs at least {strategy.MinRequests} request(s) in that time{ProbeText(rollout, strategy)}");
            var verdict = await JudgeStepAsync(rollout, strategy, step, live);
            rollout.Note(verdict.Summary);
            if (!verdict.Healthy)
            {
                // Weight 0 first, so no new request reaches the canary, then stop it.
                await rollout.SwitchBackAsync();
                await rollout.StopNewAsync();
                rollout.Note($"canary aborted: all traffic back to {live.Process.Release.Version} in slot {live.Slot}, {rollout.Release.Version} stopped");
                throw new RolloutFailedException(verdict.Summary + $"; canary aborted, {rollout.Environment.Name} stays on {live.Process.Release.Version}");
            }
        }

        rollout.Note($"canary complete: all traffic to {rollout.Release.Version}");
        await rollout.StopLiveAsync();
    }

    /// <summary>
    /// Waits until <paramref name="elapsed"/> reaches <paramref name="pause"/>, in waits of at most
    /// <paramref name="interval"/>, reporting the time elapsed after each wait but the last; reporting does not
    /// lengthen the pause.
    /// </summary>
    internal static async Task WaitWithProgressAsync(TimeSpan pause, TimeSpan interval, Func<TimeSpan> elapsed, Func<TimeSpan, Task> wait, Func<TimeSpan, Task> report)
    {
        var most = interval > TimeSpan.Zero ? interval : pause;
        while (pause - elapsed() is var remaining && remaining > TimeSpan.Zero)
        {
            await wait(remaining < most ? remaining : most);
            if (elapsed() is var now && now < pause)
            {
                await report(now);
            }
        }
    }

    /// <summary>Runs one step for its pause and judges it; the new release exiting fails the step.</summary>
    private static async Task<CanaryVerdict> JudgeStepAsync(Rollout rollout, CanaryStrategy strategy, int step, LiveSlot live)
    {
        var before = await rollout.MetricsAsync();
        var probes = strategy.Probe is { } probe ? SyntheticProbes.Start(rollout, probe) : null;
        try
        {
            var clock = Stopwatch.StartNew();
            await WaitWithProgressAsync(strategy.Pause, rollout.ProgressInterval, () => clock.Elapsed, rollout.WatchAsync, async elapsed =>
            {
                var now = await rollout.MetricsAsync();
                rollout.Log(CanaryAnalysis.Progress(step, elapsed, strategy.Pause,
                    Rollouts.Delta(before, now, live.DestinationName), Rollouts.Delta(before, now, rollout.DestinationName), strategy.MinRequests));
            });
            if (probes is not null)
            {
                rollout.Note($"canary at {step}%: {await probes.StopAsync()}");
            }

            var after = await rollout.MetricsAsync();
            return CanaryAnalysis.Judge(step, strategy, Rollouts.Delta(before, after, live.DestinationName), Rollouts.Delta(before, after, rollout.DestinationName));
        }
        catch (RolloutFailedException failure)
        {
            return new CanaryVerdict(CanaryOutcome.Failed, $"canary at {step}%: {failure.Message}");
        }
        finally
        {
            if (probes is not null)
            {
                await probes.DisposeAsync();
            }
        }
    }

    private static string ProbeText(Rollout rollout, CanaryStrategy strategy) => strategy.Probe is { } probe
        ? $"; probes: GET {string.Join(", ", SyntheticProbes.Paths(rollout.Environment, probe))} at {probe.RequestsPerSecond}/s through the router, pinned to the canary"
        : string.Empty;
}
