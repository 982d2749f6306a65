using Recipes.Deployment.Slots;


namespace Recipes.Deployment;

/// <summary>
/// Where an environment's releases run (the environment's <c>target:</c>): it fetches a release's artifact, runs it by
/// the environment's strategy, rolls back, reports and stops. What every target shares (the environment's lock, the
/// ledger rows, the digest check, the features file, approval and the run summary) is the <see cref="Deployer"/>'s.
/// </summary>
/// <remarks>
/// A deployment is two calls so that the deployer checks the artifact's digest itself, before the target starts
/// anything: <see cref="FetchAsync"/> gets the artifact (a package download, an image's registry manifest) and says
/// what digest it really has; only when that equals the manifest's does <see cref="DeployAsync"/> run it.
/// </remarks>
internal interface IDeploymentTarget
{
    /// <summary>The name environments give in <c>target:</c>, such as <c>local</c>.</summary>
    string Name { get; }

    /// <summary>Gets the request's artifact ready to check: nothing runs, nothing of it is usable until its digest is checked.</summary>
    /// <exception cref="RecipeException">The artifact is not where the target looks for it.</exception>
    Task<FetchedArtifact> FetchAsync(DeploymentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the fetched (and checked) artifact by the environment's strategy, within the deployer's lock and ledger
    /// row: the environment ends on the new release or stays on the old one (then it throws).
    /// </summary>
    /// <exception cref="RecipeException">The new release failed a check; the environment serves what it served before.</exception>
    Task<TargetResult> DeployAsync(TargetDeployment deployment, CancellationToken cancellationToken);

    /// <summary>Puts <see cref="TargetRollback.To"/>'s release back, within the deployer's lock and ledger row.</summary>
    /// <exception cref="RecipeException">The earlier release cannot be started again.</exception>
    Task<TargetResult> RollbackAsync(TargetRollback rollback, CancellationToken cancellationToken);

    /// <summary>What runs for <paramref name="environment"/> now, as the target sees it (the ledger's view is the deployer's).</summary>
    Task<TargetStatus> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken);

    /// <summary>Stops everything of <paramref name="environment"/> that runs; the ledger and what a later deploy needs stay.</summary>
    /// <returns>What was stopped, one line each.</returns>
    Task<IReadOnlyList<string>> StopAsync(DeploymentEnvironment environment, CancellationToken cancellationToken);

    /// <summary>What History shows after the ledger's rows that only this target knows, such as the releases it keeps for rollbacks; none by default.</summary>
    IReadOnlyList<string> HistoryLines(DeploymentEnvironment environment) => [];
}

/// <summary>An artifact a target has fetched, not yet checked nor used.</summary>
/// <param name="Digest">The digest the fetched bytes really have, lowercase hex (the package's SHA-512, the image's sha256).</param>
/// <param name="Algorithm">The digest's algorithm, for messages: <c>SHA-512</c>, <c>sha256</c>.</param>
/// <param name="Origin">Where it came from, for messages: <c>in the feed X</c>, <c>in the registry R</c>.</param>
/// <param name="Handle">What the target needs to use it (such as the downloaded file); only the target reads it.</param>
internal sealed record FetchedArtifact(string Digest, string Algorithm, string Origin, object? Handle) : IAsyncDisposable
{
    /// <summary>Run when the deployment is over, whatever its outcome: deletes a download, for example.</summary>
    public Func<ValueTask>? Cleanup { get; init; }

    /// <summary>The fetched package file, when the target fetched one: the deployer reads the release's migration scripts from it once its digest is checked.</summary>
    public string? PackageFile { get; init; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Cleanup?.Invoke() ?? ValueTask.CompletedTask;
}

/// <summary>A checked artifact to run, with the ledger row the deployment writes.</summary>
/// <param name="Request">What is deployed where.</param>
/// <param name="Artifact">The fetched artifact, whose digest equals the request's.</param>
/// <param name="LedgerId">The deployment's ledger row.</param>
/// <param name="Journal">Where the target notes what it did (for the ledger and the summary) and logs.</param>
/// <param name="StartOptions">Configuration, secrets and the features file, as every target hands them to a release.</param>
internal sealed record TargetDeployment(DeploymentRequest Request, FetchedArtifact Artifact, long LedgerId, DeploymentJournal Journal, ReleaseStartOptions StartOptions);

/// <summary>A rollback the deployer has recorded: which row to go back to, and how to fetch its artifact again.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="From">The ledger's live row, which is undone.</param>
/// <param name="To">The earlier good row, whose release comes back.</param>
/// <param name="LedgerId">The rollback's own ledger row.</param>
/// <param name="Journal">Where the target notes what it did and logs.</param>
/// <param name="StartOptions">Configuration, secrets and the features file.</param>
/// <param name="FetchChecked">Fetches <paramref name="To"/>'s artifact again and checks its digest (the deployer's check), for when the target kept nothing of it.</param>
internal sealed record TargetRollback(
    DeploymentEnvironment Environment,
    DeploymentRecord From,
    DeploymentRecord To,
    long LedgerId,
    DeploymentJournal Journal,
    ReleaseStartOptions StartOptions,
    Func<CancellationToken, Task<FetchedArtifact>> FetchChecked);

/// <summary>How a target's deployment or rollback ended well.</summary>
/// <param name="Version">The version that serves now.</param>
/// <param name="SwitchTime">How long the last traffic switch took, when traffic was switched.</param>
internal sealed record TargetResult(string Version, TimeSpan? SwitchTime)
{
    /// <summary>
    /// The release the new one replaced, kept warm for the blue-green grace period: the deployer watches it after the
    /// ledger row is complete and the lock released, then stops it or switches back. Null when nothing stays warm.
    /// </summary>
    public IWarmHandover? KeepWarm { get; init; }

    /// <summary>When the last traffic switch was sent (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), when traffic was switched.</summary>
    public long? SwitchStarted { get; init; }
}

/// <summary>The old release kept warm after a switch, and the new one being watched during the grace period.</summary>
internal interface IWarmHandover
{
    /// <summary>How long the old release stays warm.</summary>
    TimeSpan GracePeriod { get; }

    /// <summary>The old release's version, for messages.</summary>
    string OldVersion { get; }

    /// <summary>Where the old release runs, for messages: <c>slot blue</c>.</summary>
    string OldPlace { get; }

    /// <summary>What the deployment did, for the ledger row when the new release exits during the grace period.</summary>
    string Details { get; }

    /// <summary>Waits for <paramref name="duration"/>, failing with a <see cref="RolloutFailedException"/> when the new release exits.</summary>
    Task WatchAsync(TimeSpan duration);

    /// <summary>Whether the old release still runs.</summary>
    bool OldRuns();

    /// <summary>Stops the old release (the grace period is over and nothing changed since).</summary>
    Task StopOldAsync();

    /// <summary>Sends all traffic back to the old release (the new one exited).</summary>
    Task SwitchBackAsync();
}
