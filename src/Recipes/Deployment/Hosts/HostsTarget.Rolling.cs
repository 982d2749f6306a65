using System.Diagnostics;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Hosts;

internal sealed partial class HostsTarget
{
    /// <summary>
    /// Rolling across the fleet: each batch of hosts is drained (out of nginx's upstream, returning once nginx's old
    /// workers have answered what they held), gets the release in its idle slot, is health-checked from here and put
    /// back. Every host's old slot keeps running until the whole fleet serves the release (and the smoke checks pass
    /// through nginx), then they all stop. A failure anywhere puts every host back on its old slot in one nginx apply
    /// and stops the new slots: the fleet is never left mixed, so it matches the ledger's live release again.
    /// </summary>
    private async Task<TargetResult> RollAsync(
        FleetConnection fleet, DeploymentEnvironment environment, RollingStrategy strategy, NginxBalancer balancer, string version, string digest,
        ReleaseStartOptions options, DeploymentJournal journal, Func<HostReleases, Task<string>> prepare, CancellationToken cancellationToken)
    {
        journal.RecordStrategy(RollingStrategy.Name);
        var clock = Stopwatch.StartNew();
        var variables = await ReleaseVariablesAsync(options, cancellationToken);
        var old = fleet.Hosts.ToDictionary(host => host, host => ServingSlot(environment, balancer, host));
        var serving = new Dictionary<HostReleases, string>(old);
        var batches = fleet.Hosts.Chunk(strategy.Batch).ToList();
        var names = string.Empty;
        try
        {
            for (var index = 0; index < batches.Count; index++)
            {
                var batch = batches[index];
                names = $"batch {index + 1} of {batches.Count} ({string.Join(", ", batch.Select(host => host.Host.Name))})";
                if (index > 0 && strategy.Pause > TimeSpan.Zero)
                {
                    await Task.Delay(strategy.Pause, cancellationToken);
                }

                await balancer.ApplyAsync(Upstream(environment, serving, leaving: batch), cancellationToken);
                journal.Log($"{names} drained: out of nginx's upstream, the requests it held answered");
                await Task.WhenAll(batch.Select(async host =>
                {
                    var folder = await prepare(host);
                    journal.Log($"{environment.Artifact} {version} is on {host.Host.Name} in {folder} (SHA-512 {digest[..12]}… checked there, read-only)");
                    await StartHealthyAsync(environment, host, Other(old[host]), folder, variables, cancellationToken);
                }));
                foreach (var host in batch)
                {
                    serving[host] = Other(old[host]);
                }

                await balancer.ApplyAsync(Upstream(environment, serving, leaving: []), cancellationToken);
                journal.Note($"{names} serves {version}");
            }

            names = "the smoke checks through nginx";
            await SmokeThroughNginxAsync(environment, journal, cancellationToken);
        }
        catch (Exception failure) when (failure is RecipeException or OperationCanceledException)
        {
            var moved = serving.Count(entry => entry.Value != old[entry.Key]);
            await balancer.ApplyAsync(Upstream(environment, old, leaving: []), CancellationToken.None);
            await Task.WhenAll(fleet.Hosts.Select(host => host.StopAsync(Other(old[host]), CancellationToken.None)));
            journal.Note($"{names} failed; every host is back on its old slot in one nginx apply ({moved} had moved to {version}) and {version} stopped on every host");
            throw;
        }

        await Task.WhenAll(fleet.Hosts.Select(host => host.StopAsync(old[host], CancellationToken.None)));
        journal.Log("Stopped the old slot on every host");
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
