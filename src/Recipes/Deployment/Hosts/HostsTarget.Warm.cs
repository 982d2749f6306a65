using System.Diagnostics;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Hosts;

internal sealed partial class HostsTarget
{
    /// <summary>
    /// The old slot of a blue-green switch across the fleet, kept running out of nginx's upstream for the grace period
    /// (the local and docker targets keep theirs the same way): a Rollback meanwhile finds it started, and when the
    /// new slot's supervisor ends on any host, nginx goes back to the old slot on every host at once. After the
    /// period the deployer stops it. Each call opens its own SSH sessions: the deployment's are closed by then.
    /// </summary>
    private sealed class WarmSlot(
        DeploymentEnvironment environment, NginxBalancer balancer, Action<string> log, string oldSlot, string newSlot, string oldVersion, string newVersion, DeploymentJournal journal, TimeSpan grace)
        : IWarmHandover
    {
        private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
        private bool _oldRuns = true;

        public TimeSpan GracePeriod => grace;

        public string OldVersion => oldVersion;

        public string OldPlace => $"slot {oldSlot} on every host";

        public string Details => journal.Details;

        public async Task WatchAsync(TimeSpan duration)
        {
            using var fleet = await FleetConnection.OpenAsync(environment, CancellationToken.None);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                var remaining = duration - clock.Elapsed;
                await Task.Delay(remaining < Poll ? remaining : Poll);
                // One command per host for both slots, every host at once: the look takes one round trip, not 2 per host.
                var looks = await Task.WhenAll(fleet.Hosts.Select(async host => (Host: host, Running: await host.SlotsRunningAsync([oldSlot, newSlot], CancellationToken.None))));
                _oldRuns &= looks.All(look => look.Running[0]);
                if (looks.FirstOrDefault(look => !look.Running[1]) is { Host: { } exited })
                {
                    throw new RolloutFailedException(
                        $"{newVersion} in slot {newSlot} on {exited.Host.Name} exited (its supervisor gave up); its log ends: {await exited.LogTailAsync(newSlot, CancellationToken.None)}");
                }
            }
        }

        /// <summary>Whether the old slot ran on every host at the last look of <see cref="WatchAsync"/> (at most a second ago).</summary>
        public bool OldRuns() => _oldRuns;

        public async Task StopOldAsync()
        {
            using var fleet = await FleetConnection.OpenAsync(environment, CancellationToken.None);
            await StopSlotAsync(fleet, oldSlot);
            log($"Stopped slot {oldSlot} ({oldVersion}) on every host: the grace period is over");
        }

        public async Task SwitchBackAsync()
        {
            using var fleet = await FleetConnection.OpenAsync(environment, CancellationToken.None);
            await balancer.SwitchAsync(Servers(fleet, environment, oldSlot), CancellationToken.None);
            await StopSlotAsync(fleet, newSlot);
        }
    }

    /// <summary>What the deployment leaves running after a switch from <paramref name="live"/>: its old slot warm for a blue-green grace period, else nothing (it is stopped).</summary>
    private async Task<IWarmHandover?> KeepOrStopOldAsync(
        FleetConnection fleet, DeploymentEnvironment environment, string live, string slot, string version, DeploymentJournal journal)
    {
        if (environment.Strategy is BlueGreenStrategy { GracePeriod: var grace } && grace > TimeSpan.Zero)
        {
            return new WarmSlot(environment, Balancer(environment), services.Log, live, slot, await SlotVersionAsync(fleet.Hosts[0], environment, live), version, journal, grace);
        }

        await StopSlotAsync(fleet, live);
        journal.Log($"Stopped slot {live} on every host");
        return null;
    }

    /// <summary>The version <paramref name="slot"/> of <paramref name="host"/> was started with, from its release folder's name.</summary>
    private static async Task<string> SlotVersionAsync(HostReleases host, DeploymentEnvironment environment, string slot) =>
        (await host.SlotAsync(slot, CancellationToken.None)).Folder is { } folder && HostReleases.VersionOf(environment.Artifact, HostReleases.ManifestName(folder)) is not "?" and var version
            ? version
            : $"the release of slot {slot}";
}
