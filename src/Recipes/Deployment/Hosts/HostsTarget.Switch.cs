using System.Diagnostics;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Hosts;

internal sealed partial class HostsTarget
{
    private static readonly string[] Slots = [Rollout.Blue, Rollout.Green];

    /// <summary>The port <paramref name="slot"/> listens on, on each host's address: blue the public port + 1, green + 2.</summary>
    internal static int SlotPort(DeploymentEnvironment environment, string slot) => environment.Port + (slot == Rollout.Blue ? 1 : 2);

    /// <summary>The slot nginx sends traffic to now (read from its upstream file), or null when it sends none.</summary>
    private static string? LiveSlot(DeploymentEnvironment environment, NginxBalancer balancer) =>
        balancer.RunningPid() is null ? null
        : balancer.Servers().FirstOrDefault() is not { } server ? null
        : Slots.FirstOrDefault(slot => server.EndsWith($":{SlotPort(environment, slot)}", StringComparison.Ordinal));

    /// <summary>
    /// Blue-green across the fleet: every host gets the release (<paramref name="prepare"/> gives its folder there) and
    /// starts it in the idle slot; once every host's is healthy from here (the balancer's side), nginx switches all
    /// traffic at once and the old slot stops (kept warm for the grace period first). Any failure before the switch
    /// stops the new slots: nothing changed.
    /// </summary>
    private async Task<TargetResult> SwitchAsync(
        FleetConnection fleet, DeploymentEnvironment environment, string version, string digest, ReleaseStartOptions options, DeploymentJournal journal,
        Func<HostReleases, Task<string>> prepare, CancellationToken cancellationToken)
    {
        var balancer = Balancer(environment);
        var live = LiveSlot(environment, balancer);
        var slot = Other(live);
        if (live is not null && environment.Strategy is RollingStrategy rolling)
        {
            return await RollAsync(fleet, environment, rolling, balancer, version, digest, options, journal, prepare, cancellationToken);
        }

        journal.RecordStrategy(live is null ? Rollouts.FirstDeployment : environment.Strategy.Kind);
        var variables = await ReleaseVariablesAsync(options, cancellationToken);
        try
        {
            await Task.WhenAll(fleet.Hosts.Select(async host =>
            {
                var folder = await prepare(host);
                journal.Log($"{environment.Artifact} {version} is on {host.Host.Name} in {folder} (SHA-512 {digest[..12]}… checked there, read-only)");
                await StartHealthyAsync(environment, host, slot, folder, variables, cancellationToken);
            }));
        }
        catch (Exception failure) when (failure is RecipeException or OperationCanceledException)
        {
            await StopSlotAsync(fleet, slot);
            journal.Note($"{version} stopped on every host; {(live is null ? "nothing was live and nothing is" : $"slot {live} still serves")}");
            throw;
        }

        journal.Note($"{version} healthy in slot {slot} on {fleet.Hosts.Count} host(s)");
        if (live is not null && environment.Strategy is CanaryStrategy canary)
        {
            await CanaryStepsAsync(fleet, environment, canary, balancer, live, slot, version, journal, cancellationToken);
        }

        var servers = Servers(fleet, environment, slot);
        TimeSpan switchTime;
        var switchStarted = Stopwatch.GetTimestamp();
        try
        {
            switchTime = await balancer.SwitchAsync(servers, cancellationToken);
        }
        catch (RecipeException)
        {
            await StopSlotAsync(fleet, slot);
            throw;
        }

        journal.Note($"nginx switched {environment.Name} {(live is null ? string.Empty : $"from slot {live} ")}to slot {slot} ({version}) on {servers.Count} host(s) in {switchTime.TotalMilliseconds:0} ms");
        try
        {
            await SmokeThroughNginxAsync(environment, journal, cancellationToken);
        }
        catch (RolloutFailedException)
        {
            if (live is null)
            {
                await balancer.StopAsync(CancellationToken.None);
            }
            else
            {
                await balancer.SwitchAsync(Servers(fleet, environment, live), CancellationToken.None);
            }

            await StopSlotAsync(fleet, slot);
            journal.Note(live is null ? "nothing was live and nothing is: nginx stopped" : $"switched back to slot {live}");
            throw;
        }

        return new TargetResult(version, switchTime)
        {
            SwitchStarted = switchStarted,
            KeepWarm = live is null ? null : await KeepOrStopOldAsync(fleet, environment, live, slot, version, journal),
        };
    }

    /// <summary>The other slot than <paramref name="slot"/> (blue when none is live).</summary>
    private static string Other(string? slot) => slot == Rollout.Blue ? Rollout.Green : Rollout.Blue;

    /// <summary>Starts <paramref name="folder"/> in <paramref name="slot"/> of <paramref name="host"/>, waits until it answers its health check from here, and arms its supervisor.</summary>
    private static async Task StartHealthyAsync(
        DeploymentEnvironment environment, HostReleases host, string slot, string folder, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var port = SlotPort(environment, slot);
        await host.StartAsync(slot, folder, environment.Artifact, port, variables, cancellationToken);
        await WaitHealthyAsync(environment, host, slot, port, cancellationToken);
        await host.ArmAsync(slot, cancellationToken);
    }

    /// <summary>The smoke checks again through nginx: the balancer's configuration itself may be wrong.</summary>
    private static Task SmokeThroughNginxAsync(DeploymentEnvironment environment, DeploymentJournal journal, CancellationToken cancellationToken) =>
        SmokeChecks.RunAsync(environment, new Uri($"http://127.0.0.1:{environment.Port}/"), $"nginx's port {environment.Port}", journal.Note, cancellationToken);

    /// <summary>
    /// The shared health wait from here (the balancer's side). Not yet armed, the supervisor ends with the release, so
    /// a release that exited (a port another program holds, a crash at start) fails at once with its log.
    /// </summary>
    private static Task WaitHealthyAsync(DeploymentEnvironment environment, HostReleases host, string slot, int port, CancellationToken cancellationToken) =>
        HealthPoller.WaitAsync(
            new Uri($"http://{host.Host.Address}:{port}{environment.Health.Path}"),
            environment.Health,
            $"Host {host.Host.Name}: slot {slot}",
            async token => (await host.SlotAsync(slot, token)).Running ? null : "exited",
            async () => $"; its log ends: {await host.LogTailAsync(slot, CancellationToken.None)}",
            null,
            cancellationToken);

    private static Task StopSlotAsync(FleetConnection fleet, string slot) =>
        Task.WhenAll(fleet.Hosts.Select(host => host.StopAsync(slot, CancellationToken.None)));

    /// <summary>
    /// The release's environment: the deployer's configuration and the secrets' values (read here from the build's
    /// variables, sent only into the slot's 0600 environment file). The features file is the deployer's local one, so
    /// it is not passed: a host cannot read this machine's files.
    /// </summary>
    private static Task<Dictionary<string, string>> ReleaseVariablesAsync(ReleaseStartOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var variables = options.Variables
            .Where(entry => entry.Key != Deployer.FeaturesFileVariable)
            .ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal);
        variables["ASPNETCORE_ENVIRONMENT"] = options.AspNetCoreEnvironment ?? "Production";
        foreach (var (name, source) in options.Secrets)
        {
            variables[name] = Environment.GetEnvironmentVariable(source)
                ?? throw new RecipeException($"The secret {name} comes from the variable {source}, which is not set; set it before deploying.");
        }

        return Task.FromResult(variables);
    }
}
