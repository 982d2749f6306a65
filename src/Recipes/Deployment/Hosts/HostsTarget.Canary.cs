using System.Diagnostics;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Hosts;

internal sealed partial class HostsTarget
{
    /// <summary>
    /// Canary across the fleet, once every host's new slot is healthy: each step below 100 weighs nginx's upstream
    /// between the live slot's servers and the new slot's, waits the pause and judges the step with
    /// <see cref="CanaryAnalysis"/> on the answers nginx logged per server. A failed step puts all traffic back on the
    /// live slot (returning once nginx's old workers are gone, so no later request reaches the canary) and stops it.
    /// </summary>
    private static async Task CanaryStepsAsync(
        FleetConnection fleet, DeploymentEnvironment environment, CanaryStrategy strategy, NginxBalancer balancer, string live, string slot, string version,
        DeploymentJournal journal, CancellationToken cancellationToken)
    {
        var stable = Servers(fleet, environment, live);
        var canary = Servers(fleet, environment, slot);
        foreach (var step in strategy.Steps.Where(step => step < 100))
        {
            await balancer.ApplyAsync([.. stable.Select(server => (server, 100 - step)), .. canary.Select(server => (server, step))], cancellationToken);
            var offset = NginxAccessLog.Length(balancer.AccessLog);
            journal.Log($"Canary at {step}%: {version} in slot {slot} gets {step}% of {environment.Name}'s traffic on {canary.Count} host(s) for {strategy.Pause.TotalSeconds:0.#} s and needs at least {strategy.MinRequests} request(s) in that time");
            var clock = Stopwatch.StartNew();
            await CanaryRollout.WaitWithProgressAsync(strategy.Pause, TimeSpan.FromSeconds(5), () => clock.Elapsed, wait => Task.Delay(wait, cancellationToken), elapsed =>
            {
                var (stableSoFar, canarySoFar) = Measure(balancer, offset, stable, canary);
                journal.Log(CanaryAnalysis.Progress(step, elapsed, strategy.Pause, stableSoFar, canarySoFar, strategy.MinRequests));
                return Task.CompletedTask;
            });
            var (stableMetrics, canaryMetrics) = Measure(balancer, offset, stable, canary);
            var verdict = CanaryAnalysis.Judge(step, strategy, stableMetrics, canaryMetrics);
            journal.Note(verdict.Summary);
            if (!verdict.Healthy)
            {
                await balancer.SwitchAsync(stable, CancellationToken.None);
                await StopSlotAsync(fleet, slot);
                journal.Note($"canary aborted: all traffic back to slot {live} on every host, {version} stopped");
                throw new RolloutFailedException($"{verdict.Summary}; canary aborted, {environment.Name} stays on slot {live}");
            }
        }
    }

    private static List<string> Servers(FleetConnection fleet, DeploymentEnvironment environment, string slot) =>
        [.. fleet.Hosts.Select(host => $"{host.Host.Address}:{SlotPort(environment, slot)}")];

    private static (Routing.DestinationMetrics Stable, Routing.DestinationMetrics Canary) Measure(NginxBalancer balancer, long offset, List<string> stable, List<string> canary)
    {
        var answers = NginxAccessLog.ReadSince(balancer.AccessLog, offset);
        return (NginxAccessLog.Metrics("stable", answers, stable.Contains), NginxAccessLog.Metrics("canary", answers, canary.Contains));
    }
}
