using Recipes.Deployment.Routing;
using Recipes.Deployment.Toggles;
using Recipes.Feeds;

namespace Recipes.Deployment.Local;

/// <summary>What to deploy where: an exact package, proven by its digest, to one environment.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="Feed">The feed that holds the package.</param>
/// <param name="Version">The package version.</param>
/// <param name="Digest">The package's SHA-512 as the manifest (or the environment it is promoted from) recorded it.</param>
/// <param name="Commit">The commit it was built from.</param>
/// <param name="Kind">Deploy or Promote, for the ledger.</param>
/// <param name="Who">Who deploys, for the ledger.</param>
internal sealed record DeploymentRequest(DeploymentEnvironment Environment, IPackageFeed Feed, string Version, string Digest, string Commit, DeploymentKind Kind, string Who);

/// <summary>How a deployment or rollback ended well.</summary>
/// <param name="LedgerId">Its row in the ledger.</param>
/// <param name="Version">The version that serves now.</param>
/// <param name="Details">What happened, in a few words each.</param>
/// <param name="SwitchTime">How long the router took to apply the last route change.</param>
internal sealed record DeploymentResult(long LedgerId, string Version, string Details, TimeSpan? SwitchTime);

/// <summary>
/// Deploys, rolls back, reports and stops releases of environments on this machine: each environment's releases run
/// as processes in two slots behind the environment's router, every change holds the environment's lock in the
/// ledger and is a row there.
/// </summary>
internal sealed partial class LocalDeployment
{
    /// <summary>Release folders kept per environment besides those in use, for rollbacks without the feed.</summary>
    public const int KeptReleases = 3;

    private const string Interrupted = "interrupted: the process that ran it ended before it finished";

    private readonly string _stateDirectory;
    private readonly Lazy<DeploymentLedger> _ledger;
    private readonly TimeSpan _lockWait;
    private readonly Action<string> _log;
    private readonly ProcessSupervisor _supervisor;

    public LocalDeployment(string stateDirectory, DeploymentLedger ledger, TimeSpan lockWait, Action<string> log)
        : this(stateDirectory, () => ledger, lockWait, log)
    {
    }

    /// <summary>Opens the ledger on first use, so that Stop and Status still work when it cannot be read.</summary>
    public LocalDeployment(string stateDirectory, Func<DeploymentLedger> openLedger, TimeSpan lockWait, Action<string> log)
    {
        _stateDirectory = stateDirectory;
        _ledger = new Lazy<DeploymentLedger>(openLedger);
        _lockWait = lockWait;
        _log = log;
        _supervisor = new ProcessSupervisor(Path.Combine(stateDirectory, "slots")) { DataRoot = stateDirectory };
    }

    /// <summary>How often a canary step's pause prints what it has seen so far.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a deployment waiting for the environment's lock says who holds it.</summary>
    public TimeSpan LockReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    private DeploymentLedger Ledger => _ledger.Value;

    /// <summary>
    /// Deploys the request's package by the environment's strategy. The package is downloaded, checked against the
    /// digest and unpacked before anything starts; the environment ends on the new release or stays on the old one.
    /// </summary>
    /// <exception cref="DeploymentLockedException">Another deployment to the environment held its lock too long.</exception>
    /// <exception cref="RecipeException">The package is missing or changed, or the new release failed a check.</exception>
    public async Task<DeploymentResult> DeployAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        RequireSecrets(environment);
        Rollout? rollout = null;
        DeploymentResult result;
        using (await LockAsync(environment, $"{request.Kind} of {environment.Artifact} {request.Version} by {request.Who}", cancellationToken))
        {
            var id = Ledger.Begin(new DeploymentRecord(environment.Name, environment.Artifact, request.Version, request.Digest, request.Commit, environment.Strategy.Kind, request.Kind, request.Who));
            result = await RecordAsync(id, () => rollout?.Details, async () =>
            {
                var store = Store(environment);
                var release = await store.PrepareAsync(request.Feed, environment.Artifact, request.Version, request.Digest, cancellationToken);
                _log($"{release.Id} {release.Version} matches SHA-512 {release.ShortDigest}… and is unpacked, read-only, in {release.Folder}");
                rollout = await BeginAsync(environment, release, id, cancellationToken);
                if (rollout.Live is null)
                {
                    Ledger.RecordStrategy(id, Rollouts.FirstDeployment);
                }

                await Rollouts.RunAsync(rollout);
                store.Prune(KeptReleases, _supervisor.FoldersInUse());
                return new DeploymentResult(id, release.Version, rollout.Details, rollout.SwitchTime);
            });
        }

        // The row is complete and the lock free: during the grace period a Rollback takes the warm slot at once.
        return await KeepWarmAfterAsync(rollout, result, $"so ./build.sh --target=Rollback --environment={environment.Name} switches back at once", cancellationToken);
    }

    /// <summary>The environment's router, slots and live release, as they are now.</summary>
    public async Task<EnvironmentStatus> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var router = Router(environment);
        var pid = router.RunningPid();
        RouteConfig? route = null;
        if (pid is not null)
        {
            using var client = RouterClient.ForStateDirectory(router.StateDirectory);
            route = await client.GetConfigAsync(cancellationToken);
        }

        var (live, unreadable) = ReadLive(environment);
        return new EnvironmentStatus(environment, pid, route, _supervisor.Status(environment.Name), live)
        {
            LedgerUnreadable = unreadable,
            RouterSupervision = router.Supervision(),
        };
    }

    /// <summary>Stops every release of the environment and its router; the ledger and the saved route stay.</summary>
    /// <returns>What was stopped, one line each.</returns>
    public async Task<IReadOnlyList<string>> StopAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        using var held = await LockUnlessUnreadableAsync(environment, "Stop", cancellationToken);
        var stopped = new List<string>();
        foreach (var slot in _supervisor.Status(environment.Name).Where(s => s.State == SlotState.Running))
        {
            await _supervisor.StopAsync(environment.Name, slot.Process.Slot, TimeSpan.FromSeconds(10), cancellationToken);
            stopped.Add($"{slot.Process.Release.Id} {slot.Process.Release.Version} in slot {slot.Process.Slot} (pid {slot.Process.Pid})");
        }

        if (await Router(environment).StopAsync(cancellationToken))
        {
            stopped.Add($"the router on port {environment.Port}");
        }

        return stopped;
    }

    private async Task<DeploymentLock> LockAsync(DeploymentEnvironment environment, string holder, CancellationToken cancellationToken)
    {
        MakeStatePrivate();
        var held = await Ledger.AcquireLockAsync(environment.Name, holder, _lockWait, _log, LockReportInterval, cancellationToken);
        if (Ledger.AbandonRunning(environment.Name, Interrupted) is > 0 and var abandoned)
        {
            _log($"{abandoned} earlier deployment(s) to {environment.Name} never finished (their process ended); recorded as failed");
        }

        return held;
    }

    /// <summary>
    /// Runs <paramref name="work"/> and ends ledger row <paramref name="id"/> with its outcome, whatever it is; a failure
    /// is recorded with what the rollout did before it (<paramref name="notes"/>), such as restarting the old release.
    /// </summary>
    private async Task<DeploymentResult> RecordAsync(long id, Func<string?> notes, Func<Task<DeploymentResult>> work)
    {
        DeploymentResult result;
        try
        {
            result = await work();
        }
        catch (Exception failure)
        {
            var reason = failure is OperationCanceledException ? "cancelled" : failure.Message;
            Ledger.Complete(id, DeploymentOutcome.Failed, notes() is { Length: > 0 } done ? $"{reason} (before that: {done})" : reason);
            throw;
        }

        Ledger.Complete(id, DeploymentOutcome.Succeeded, result.Details);
        return result;
    }

    private async Task<Rollout> BeginAsync(DeploymentEnvironment environment, Release release, long id, CancellationToken cancellationToken)
    {
        WriteDeclaredFeatures(environment);
        var router = Router(environment);
        if (router.RunningPid() is null && !_supervisor.Status(environment.Name).Any(slot => slot.State == SlotState.Running))
        {
            // Nothing is live: the router starts once the release is healthy, so a failure leaves the port closed.
            return new Rollout(environment, _supervisor, () => router.EnsureRunningAsync(cancellationToken), release, id, null, StartOptions(environment), _log, cancellationToken);
        }

        var client = await router.EnsureRunningAsync(cancellationToken);
        var live = await FindLiveAsync(environment, client, cancellationToken);
        return new Rollout(environment, _supervisor, () => Task.FromResult(client), release, id, live, StartOptions(environment), _log, cancellationToken)
        {
            ProgressInterval = ProgressInterval,
        };
    }

    /// <summary>The slot the router sends most traffic to, if its process still runs.</summary>
    private async Task<LiveSlot?> FindLiveAsync(DeploymentEnvironment environment, RouterClient router, CancellationToken cancellationToken)
    {
        var route = await router.GetConfigAsync(cancellationToken);
        var main = route?.Destinations.OrderByDescending(d => d.Weight).FirstOrDefault();
        if (main is null)
        {
            return null;
        }

        var running = _supervisor.Status(environment.Name)
            .FirstOrDefault(slot => slot.State == SlotState.Running && slot.Process.Port == main.Address.Port);
        if (running is null)
        {
            _log($"The router of {environment.Name} points at port {main.Address.Port}, where no release of this environment runs now; deploying as if none were live");
            return null;
        }

        return new LiveSlot(running.Process.Slot, main.Name, running.Process);
    }

    /// <summary>
    /// Features declared in the environments file start with their declared exposure; a feature already in the file
    /// keeps the exposure a Release gave it, because deploying is not releasing.
    /// </summary>
    private void WriteDeclaredFeatures(DeploymentEnvironment environment)
    {
        var file = FeatureToggleFile.For(_stateDirectory, environment.Name);
        foreach (var (feature, toggle) in environment.Features)
        {
            if (file.Read(feature) is null)
            {
                file.Write(feature, toggle.Percentage is { } percentage ? FeatureExposure.ForShareOfUsers(percentage) : toggle.Enabled ? FeatureExposure.On : FeatureExposure.Off);
            }
        }
    }

    private ReleaseStartOptions StartOptions(DeploymentEnvironment environment)
    {
        var variables = environment.Config.ToDictionary(entry => ToVariable(entry.Key), entry => entry.Value, StringComparer.Ordinal);
        variables[FeaturesFileVariable] = FeatureToggleFile.For(_stateDirectory, environment.Name).Path;
        return new ReleaseStartOptions
        {
            // Production unless the environment's config says otherwise; DOTNET_ENVIRONMENT alone names it for ASP.NET Core too.
            AspNetCoreEnvironment = variables.GetValueOrDefault("ASPNETCORE_ENVIRONMENT") ?? variables.GetValueOrDefault("DOTNET_ENVIRONMENT"),
            Variables = variables,
            Secrets = environment.Secrets.ToDictionary(entry => ToVariable(entry.Key), entry => entry.Value.EnvironmentVariable, StringComparer.Ordinal),
        };
    }

    /// <summary>The variable that tells a release where its environment's features file is.</summary>
    public const string FeaturesFileVariable = "RECIPES_FEATURES_FILE";

    /// <summary>ASP.NET Core reads <c>Section__Key</c> variables as <c>Section:Key</c>.</summary>
    private static string ToVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private EnvironmentRouter Router(DeploymentEnvironment environment) => new(_stateDirectory, environment.Name, environment.Port, _log);

    private ReleaseStore Store(DeploymentEnvironment environment) => new(Path.Combine(_stateDirectory, "releases", environment.Name));
}

/// <summary>An environment as it is now on this machine.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="RouterPid">The router's process id, or null when it does not run.</param>
/// <param name="Route">The route in force, or null.</param>
/// <param name="Slots">The slots and their processes.</param>
/// <param name="Live">The ledger's live row, or null.</param>
internal sealed record EnvironmentStatus(DeploymentEnvironment Environment, int? RouterPid, RouteConfig? Route, IReadOnlyList<SlotStatus> Slots, DeploymentRecord? Live)
{
    /// <summary>Why the ledger could not be read (then <see cref="Live"/> is unknown), or null.</summary>
    public DeploymentLedgerUnreadableException? LedgerUnreadable { get; init; }

    /// <summary>Whether the router runs or is being restarted, its restarts and last exit; null when it was never started.</summary>
    public SupervisionStatus? RouterSupervision { get; init; }
}
