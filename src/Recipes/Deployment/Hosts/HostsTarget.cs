using Recipes.Deployment.Local;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Hosts;

/// <summary>
/// <c>target: hosts</c>: each release goes over SSH (pinned host keys) to a fresh read-only folder on every host of
/// the environment, runs there under a supervisor in one of two slots (blue on port+1, green on port+2 of the host's
/// address), and nginx on this machine's public port sends traffic to the slot that serves. Blue-green: every host's
/// new release healthy, then one switch of nginx's upstream; the old slot stays warm out of nginx for the
/// blue-green grace period, then stops.
/// </summary>
internal sealed partial class HostsTarget(TargetServices services) : IDeploymentTarget
{
    /// <summary>What environments write in <c>target:</c>.</summary>
    public const string Name = "hosts";

    /// <summary>The target's line in <see cref="DeploymentTargets.Builtin"/>.</summary>
    public static DeploymentTargetRegistration Registration { get; } = new(Name, ["hosts", "ssh", "balancer"], ReadFields, services => new HostsTarget(services));

    string IDeploymentTarget.Name => Name;

    private static HostsSettings ReadFields(YamlFields fields)
    {
        // nginx's upstream weights carry blue-green and canary steps; probes pinned to the canary need the router.
        var strategy = EnvironmentParts.Strategy(fields);
        if (strategy is not (BlueGreenStrategy or CanaryStrategy { Probe: null } or RollingStrategy))
        {
            throw fields.Error(fields.Find("strategy") ?? fields.Node, "strategy",
                $"'strategy' is {strategy.Kind}{(strategy is CanaryStrategy ? " with probe" : string.Empty)}; target hosts deploys blue-green, canary (without probe) or rolling: use strategy: {{ kind: blue-green }}, {{ kind: canary }} or {{ kind: rolling, batch: 1 }}.");
        }

        if (strategy is BlueGreenStrategy { SlowStart: var slowStart } && slowStart > TimeSpan.Zero)
        {
            // nginx moves every host at once in one apply; a ramp would be one reload per step on every host.
            throw fields.Error(fields.Find("strategy")!, "strategy.slow-start",
                "'strategy.slow-start' is set; target hosts switches blue-green in one nginx apply: remove slow-start, or use a canary with short steps.");
        }

        var settings = HostsSettings.Read(fields);
        if (strategy is RollingStrategy rolling && rolling.Batch >= settings.Hosts.Count)
        {
            // A batch of every host would leave nginx nothing to send traffic to while it is drained.
            throw fields.Error(fields.Find("strategy")!, "strategy.batch",
                $"'strategy.batch' is {rolling.Batch} with {settings.Hosts.Count} host(s); a batch must leave at least one host serving: use a batch below {settings.Hosts.Count}, or blue-green.");
        }

        return settings;
    }

    /// <summary>Downloads the package as the local target does (a private file, deleted when the deployment is over), to upload it to every host.</summary>
    public Task<FetchedArtifact> FetchAsync(DeploymentRequest request, CancellationToken cancellationToken) =>
        new LocalReleaseArtifacts(services.StateDirectory, services.Log).FetchAsync(request, cancellationToken);

    public async Task<TargetResult> DeployAsync(TargetDeployment deployment, CancellationToken cancellationToken)
    {
        var environment = deployment.Request.Environment;
        var package = deployment.Artifact.Handle as DownloadedPackage
            ?? throw new ArgumentException("The hosts target deploys only packages it downloaded itself.", nameof(deployment));
        using var fleet = await FleetConnection.OpenAsync(environment, cancellationToken);
        return await SwitchAsync(
            fleet, environment, package.Version, deployment.Request.Digest, deployment.StartOptions, deployment.Journal,
            host => UploadRecordedAsync(host, package, environment, deployment.Request.Digest, cancellationToken), cancellationToken);
    }

    public async Task<TargetResult> RollbackAsync(TargetRollback rollback, CancellationToken cancellationToken)
    {
        var to = rollback.To;
        using var fleet = await FleetConnection.OpenAsync(rollback.Environment, cancellationToken);
        FetchedArtifact? fetched = null;
        try
        {
            return await SwitchAsync(fleet, rollback.Environment, to.Version, to.Digest, rollback.StartOptions, rollback.Journal, async host =>
            {
                if (await host.FindKeptAsync(to.Artifact, to.Version, to.Digest, cancellationToken) is { } kept && await UndriftedAsync(host, kept, rollback.Environment, cancellationToken))
                {
                    return kept;
                }

                // The host lost the release, never had it, or it drifted: the feed's copy, checked by the deployer, goes up again.
                fetched ??= await rollback.FetchChecked(cancellationToken);
                return await UploadRecordedAsync(host, (DownloadedPackage)fetched.Handle!, rollback.Environment, to.Digest, cancellationToken);
            }, cancellationToken);
        }
        finally
        {
            if (fetched is not null)
            {
                await fetched.DisposeAsync();
            }
        }
    }

    public async Task<TargetStatus> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var balancer = Balancer(environment);
        var live = LiveSlot(environment, balancer);
        var releases = new List<ReleaseStatus>();
        var lines = new List<string>();
        using var fleet = await FleetConnection.OpenAsync(environment, cancellationToken);
        foreach (var host in fleet.Hosts)
        {
            foreach (var slot in Slots)
            {
                var (running, folder) = await host.SlotAsync(slot, cancellationToken);
                if (folder is null)
                {
                    continue;
                }

                var name = Path.GetFileName(folder);
                releases.Add(new ReleaseStatus(
                    slot, environment.Artifact, name, name.Split('-').SkipLast(1).LastOrDefault() ?? "?",
                    running ? SlotState.Running : SlotState.Stopped, running ? "running" : "stopped",
                    $"{host.Host.Name}:{SlotPort(environment, slot)}", running && slot == live ? 100 / fleet.Hosts.Count : 0, false));
            }
        }

        lines.Add(balancer.RunningPid() is { } pid
            ? $"nginx (pid {pid}) on 127.0.0.1:{environment.Port} sends traffic to {string.Join(", ", balancer.Servers())}"
            : $"nginx is not running for {environment.Name}");
        return new TargetStatus(live is null ? "nothing serves" : $"slot {live} serves on {fleet.Hosts.Count} host(s)", releases, lines);
    }

    public async Task<IReadOnlyList<string>> StopAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var stopped = new List<string>();
        try
        {
            using var fleet = await FleetConnection.OpenAsync(environment, cancellationToken);
            foreach (var host in fleet.Hosts)
            {
                foreach (var slot in Slots)
                {
                    if ((await host.SlotAsync(slot, cancellationToken)).Running)
                    {
                        await host.StopAsync(slot, cancellationToken);
                        stopped.Add($"slot {slot} on {host.Host.Name}");
                    }
                }
            }
        }
        finally
        {
            // nginx runs on this machine: it stops even when a host cannot be reached.
            if (await Balancer(environment).StopAsync(cancellationToken))
            {
                stopped.Add($"nginx on 127.0.0.1:{environment.Port}");
            }
        }

        return stopped;
    }

    /// <summary>The environment's nginx, under the state folder.</summary>
    internal NginxBalancer Balancer(DeploymentEnvironment environment) =>
        new(Path.Combine(services.StateDirectory, "hosts", environment.Name, "nginx"), environment.Port, services.Log)
        {
            Include = (environment.TargetSettings as HostsSettings)?.Balancer.Include,
        };
}
