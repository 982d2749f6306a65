using System.Diagnostics;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Hosts;

internal sealed partial class HostsTarget
{
    /// <summary>
    /// Rolling across the fleet: each batch of hosts is drained (out of nginx's upstream, returning once nginx's old
    /// workers have answered what they held), gets the release in its idle slot, is health-checked from here and put
    /// back; its old slot stops. A batch that fails goes back to its old slot and the deployment stops there: the
    /// batches before it keep the new release.
    /// </summary>
    private async Task<TargetResult> RollAsync(
        FleetConnection fleet, DeploymentEnvironment environment, RollingStrategy strategy, NginxBalancer balancer, string version, string digest,
        ReleaseStartOptions options, DeploymentJournal journal, Func<HostReleases, Task<string>> prepare, CancellationToken cancellationToken)
    {
        journal.RecordStrategy(RollingStrategy.Name);
        var clock = Stopwatch.StartNew();
        var variables = await ReleaseVariablesAsync(options, cancellationToken);
        var serving = fleet.Hosts.ToDictionary(host => host, host => ServingSlot(environment, balancer, host));
        var batches = fleet.Hosts.Chunk(strategy.Batch).ToList();
        for (var index = 0; index < batches.Count; index++)
        {
            var batch = batches[index];
            var names = $"batch {index + 1} of {batches.Count} ({string.Join(", ", batch.Select(host => host.Host.Name))})";
            if (index > 0 && strategy.Pause > TimeSpan.Zero)
            {
                await Task.Delay(strategy.Pause, cancellationToken);
            }

            await balancer.ApplyAsync(Upstream(environment, serving, leaving: batch), cancellationToken);
            journal.Log($"{names} drained: out of nginx's upstream, the requests it held answered");
            try
            {
                await Task.WhenAll(batch.Select(async host =>
                {
                    var folder = await prepare(host);
                    journal.Log($"{environment.Artifact} {version} is on {host.Host.Name} in {folder} (SHA-512 {digest[..12]}… checked there, read-only)");
                    await StartHealthyAsync(environment, host, Other(serving[host]), folder, variables, cancellationToken);
                }));
            }
            catch (Exception failure) when (failure is RecipeException or OperationCanceledException)
            {
                await Task.WhenAll(batch.Select(host => host.StopAsync(Other(serving[host]), CancellationToken.None)));
                await balancer.ApplyAsync(Upstream(environment, serving, leaving: []), CancellationToken.None);
                journal.Note($"{names} failed and is back on its old release; {index * strategy.Batch} host(s) of the batches before it run {version}");
                throw;
            }

            var old = batch.ToDictionary(host => host, host => serving[host]);
            foreach (var host in batch)
            {
                serving[host] = Other(serving[host]);
            }

            await balancer.ApplyAsync(Upstream(environment, serving, leaving: []), cancellationToken);
            await Task.WhenAll(batch.Select(host => host.StopAsync(old[host], CancellationToken.None)));
            journal.Note($"{names} serves {version}");
        }

        await SmokeThroughNginxAsync(environment, journal, cancellationToken);
        return new TargetResult(version, clock.Elapsed);
    }

    /// <summary>The slot nginx sends <paramref name="host"/>'s traffic to (a host left out by a stopped deployment counts as blue).</summary>
    private static string ServingSlot(DeploymentEnvironment environment, NginxBalancer balancer, HostReleases host) =>
        balancer.Servers().FirstOrDefault(server => server.StartsWith($"{host.Host.Address}:", StringComparison.Ordinal)) is { } server
            ? Slots.First(slot => server.EndsWith($":{SlotPort(environment, slot)}", StringComparison.Ordinal))
            : Rollout.Blue;

    private static List<(string Server, int Weight)> Upstream(DeploymentEnvironment environment, Dictionary<HostReleases, string> serving, IEnumerable<HostReleases> leaving) =>
        [.. serving.Where(entry => !leaving.Contains(entry.Key)).Select(entry => ($"{entry.Key.Host.Address}:{SlotPort(environment, entry.Value)}", 1))];
}
