using Recipes.Deployment.Slots;
using Recipes.Deployment.Toggles;
using Recipes.Feeds;

namespace Recipes.Deployment;

/// <summary>What to deploy where: an exact artifact, proven by its digest, to one environment.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="Feed">The feed that holds the package.</param>
/// <param name="Version">The version.</param>
/// <param name="Digest">The artifact's digest as the manifest (or the environment it is promoted from) recorded it.</param>
/// <param name="Commit">The commit it was built from.</param>
/// <param name="Kind">Deploy or Promote, for the ledger.</param>
/// <param name="Who">Who deploys (the user); the ledger adds how an environment that needs approval was approved.</param>
internal sealed record DeploymentRequest(DeploymentEnvironment Environment, IPackageFeed Feed, string Version, string Digest, string Commit, DeploymentKind Kind, string Who)
{
    /// <summary>The approval given and whether a rolled-back version is forced; none by default.</summary>
    public DeploymentConsent Consent { get; init; } = DeploymentConsent.None;

    /// <summary>The watch's duration for this run instead of the environment's (zero skips it), or null for the environment's.</summary>
    public TimeSpan? WatchFor { get; init; }
}

/// <summary>How a deployment or rollback ended well.</summary>
/// <param name="LedgerId">Its row in the ledger.</param>
/// <param name="Version">The version that serves now.</param>
/// <param name="Details">What happened, in a few words each.</param>
/// <param name="SwitchTime">How long the router took to apply the last route change.</param>
internal sealed record DeploymentResult(long LedgerId, string Version, string Details, TimeSpan? SwitchTime)
{
    /// <summary>When the last traffic switch was sent to the router (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), for measuring what clients see after it.</summary>
    public long? SwitchStarted { get; init; }
}

/// <summary>
/// Deploys, rolls back, reports and stops environments on whatever target each names, owning what every target shares:
/// the environment's lock and ledger rows (interrupted deployments included), the artifact's digest check before the
/// target runs anything, the features file, the release's configuration and secrets, and the grace period's end.
/// </summary>
internal sealed partial class Deployer
{
    private const string Interrupted = "interrupted: the process that ran it ended before it finished";

    private readonly Lazy<DeploymentLedger> _ledger;
    private readonly TimeSpan _lockWait;
    private readonly DeploymentTargets _targets;
    private readonly TargetServices _services;
    private readonly Dictionary<string, IDeploymentTarget> _created = new(StringComparer.Ordinal);

    /// <summary>Opens the ledger on first use, so that Stop and Status still work when it cannot be read.</summary>
    public Deployer(Func<DeploymentLedger> openLedger, TimeSpan lockWait, DeploymentTargets targets, TargetServices services)
    {
        _ledger = new Lazy<DeploymentLedger>(openLedger);
        _lockWait = lockWait;
        _targets = targets;
        _services = services;
    }

    /// <summary>How often a deployment waiting for the environment's lock says who holds it.</summary>
    public TimeSpan LockReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    private DeploymentLedger Ledger => _ledger.Value;

    private string StateDirectory => _services.StateDirectory;

    private Action<string> Log => _services.Log;

    /// <summary>The target that runs <paramref name="environment"/>'s releases, created once per deployer.</summary>
    public IDeploymentTarget Target(DeploymentEnvironment environment)
    {
        lock (_created)
        {
            if (!_created.TryGetValue(environment.Target, out var target))
            {
                target = _targets.For(environment).Create(_services);
                _created[environment.Target] = target;
            }

            return target;
        }
    }

    /// <summary>
    /// The deployment itself, without its webhook and watch (<see cref="DeployAsync"/> adds them): the artifact is
    /// fetched and its digest checked before the target starts anything; the environment ends on the new release or
    /// stays on the old one.
    /// </summary>
    private async Task<DeploymentResult> RunDeploymentAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        RequireSecrets(environment);
        var who = Approver(request);
        var target = Target(environment);
        TargetResult? outcome = null;
        DeploymentResult result;
        using (await LockAsync(environment, $"{request.Kind} of {environment.Artifact} {request.Version} by {who}", cancellationToken))
        {
            // Within the lock: a rollback that finished while this deployment waited for it is seen.
            RequireNotRolledBack(request);
            var id = Ledger.Begin(new DeploymentRecord(environment.Name, environment.Artifact, request.Version, request.Digest, request.Commit, environment.Strategy.Kind, request.Kind, who));
            var journal = Journal(id);
            result = await RecordAsync(id, journal, async () =>
            {
                await NoteDriftAsync(environment, journal, cancellationToken);
                await using var artifact = await FetchCheckedAsync(target, request, cancellationToken);
                await ExpandAsync(request, artifact, id, journal, cancellationToken);
                WriteDeclaredFeatures(environment);
                outcome = await target.DeployAsync(new TargetDeployment(request, artifact, id, journal, StartOptions(environment)), cancellationToken);
                return new DeploymentResult(id, outcome.Version, journal.Details, outcome.SwitchTime) { SwitchStarted = outcome.SwitchStarted };
            });
        }

        // The row is complete and the lock free: during the grace period a Rollback takes the warm slot at once.
        var final = await KeepWarmAfterAsync(environment, outcome?.KeepWarm, result, $"so ./build.sh --target=Rollback --environment={environment.Name} switches back at once", cancellationToken);
        Summarize(environment, final);
        return final;
    }

    /// <summary>The rollback itself, without its webhook (<see cref="RollbackAsync"/> adds it, the watch's own rollback posts its own).</summary>
    private async Task<DeploymentResult> RunRollbackAsync(DeploymentEnvironment environment, IPackageFeed feed, string who, CancellationToken cancellationToken)
    {
        RequireSecrets(environment);
        var target = Target(environment);
        TargetResult? outcome = null;
        DeploymentResult result;
        using (await LockAsync(environment, $"Rollback by {who}", cancellationToken))
        {
            var live = Ledger.Live(environment.Name)
                ?? throw new RecipeException($"Nothing is deployed to {environment.Name}, so there is nothing to roll back; deploy with ./build.sh --target=Deploy --environment={environment.Name}.");
            var previous = Ledger.PreviousSucceeded(environment.Name)
                ?? throw new RecipeException($"{environment.Name} runs {live.Artifact} {live.Version} and the ledger has no earlier good release to roll back to; deploy a fixed version instead.");
            var id = Ledger.Begin(new DeploymentRecord(environment.Name, previous.Artifact, previous.Version, previous.Digest, previous.Commit, environment.Strategy.Kind, DeploymentKind.Rollback, who));
            var journal = Journal(id);
            var again = new DeploymentRequest(environment, feed, previous.Version, previous.Digest, previous.Commit, DeploymentKind.Rollback, who);
            result = await RecordAsync(id, journal, async () =>
            {
                var rollback = new TargetRollback(environment, live, previous, id, journal, StartOptions(environment), token => FetchCheckedAsync(target, again, token));
                outcome = await target.RollbackAsync(rollback, cancellationToken);
                Ledger.MarkRolledBack(environment.Name, previous.Id, live.Version);
                return new DeploymentResult(id, previous.Version, $"rolled back from {live.Version}: {journal.Details}", outcome.SwitchTime);
            });
        }

        var final = await KeepWarmAfterAsync(environment, outcome?.KeepWarm, result, "so that its requests in flight finish", cancellationToken);
        Summarize(environment, final);
        return final;
    }

    /// <summary>The environment as the ledger and its target see it now.</summary>
    public async Task<DeploymentStatus> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var running = await Target(environment).StatusAsync(environment, cancellationToken);
        var (live, unreadable) = ReadLive(environment);
        return new DeploymentStatus(environment, live, unreadable, running);
    }

    /// <summary>Stops every release of the environment on its target; the ledger and what a later deploy needs stay.</summary>
    /// <returns>What was stopped, one line each.</returns>
    public async Task<IReadOnlyList<string>> StopAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        using var held = await LockUnlessUnreadableAsync(environment, "Stop", cancellationToken);
        return await Target(environment).StopAsync(environment, cancellationToken);
    }

    /// <summary>
    /// Fetches the request's artifact through its target and refuses it unless its digest is the one recorded: the
    /// target gets to run only what the commit stage built and tested.
    /// </summary>
    /// <exception cref="ReleaseDigestMismatchException">The fetched artifact has another digest; it is discarded.</exception>
    private static async Task<FetchedArtifact> FetchCheckedAsync(IDeploymentTarget target, DeploymentRequest request, CancellationToken cancellationToken)
    {
        var artifact = await target.FetchAsync(request, cancellationToken);
        var expected = request.Digest.Trim().ToLowerInvariant();
        if (string.Equals(artifact.Digest, expected, StringComparison.Ordinal))
        {
            return artifact;
        }

        await artifact.DisposeAsync();
        throw new ReleaseDigestMismatchException(
            $"{request.Environment.Artifact} {request.Version} {artifact.Origin} has {artifact.Algorithm} {Short(artifact.Digest)}… but the manifest says {Short(expected)}…; that copy was changed since it was built: refusing to deploy");
    }

    private static string Short(string digest) => digest.Length > 12 ? digest[..12] : digest;

    private DeploymentJournal Journal(long id) => new(Log, strategy => Ledger.RecordStrategy(id, strategy));

    private async Task<DeploymentLock> LockAsync(DeploymentEnvironment environment, string holder, CancellationToken cancellationToken)
    {
        MakeStatePrivate();
        var held = await Ledger.AcquireLockAsync(environment.Name, holder, _lockWait, Log, LockReportInterval, cancellationToken);
        if (Ledger.AbandonRunning(environment.Name, Interrupted) is > 0 and var abandoned)
        {
            Log($"{abandoned} earlier deployment(s) to {environment.Name} never finished (their process ended); recorded as failed");
        }

        return held;
    }

    /// <summary>
    /// Runs <paramref name="work"/> and ends ledger row <paramref name="id"/> with its outcome, whatever it is; a failure
    /// is recorded with what the target did before it (<paramref name="journal"/>), such as restarting the old release.
    /// </summary>
    private async Task<DeploymentResult> RecordAsync(long id, DeploymentJournal journal, Func<Task<DeploymentResult>> work)
    {
        DeploymentResult result;
        try
        {
            result = await work();
        }
        catch (Exception failure)
        {
            var reason = failure is OperationCanceledException ? "cancelled" : failure.Message;
            Ledger.Complete(id, DeploymentOutcome.Failed, journal.Details is { Length: > 0 } done ? $"{reason} (before that: {done})" : reason);
            throw;
        }

        Ledger.Complete(id, DeploymentOutcome.Succeeded, result.Details);
        return result;
    }

    /// <summary>
    /// Features declared in the environments file start with their declared exposure; a feature already in the file
    /// keeps the exposure a Release gave it, because deploying is not releasing.
    /// </summary>
    private void WriteDeclaredFeatures(DeploymentEnvironment environment)
    {
        var file = FeatureToggleFile.For(StateDirectory, environment.Name);
        foreach (var (feature, toggle) in environment.Features)
        {
            if (file.Read(feature) is null)
            {
                file.Write(feature, toggle.Percentage is { } percentage ? FeatureExposure.ForShareOfUsers(percentage) : toggle.Enabled ? FeatureExposure.On : FeatureExposure.Off);
            }
        }
    }
}
