using NuGet.Versioning;
using Recipes.Deployment.Database;
using Recipes.Deployment.Slots;
using Recipes.Feeds;

namespace Recipes.Deployment;

/// <summary>An environment's migration scripts as Migrations lists them.</summary>
/// <param name="Source">The release whose package the scripts were read from, such as <c>Shop 2.0.0</c>.</param>
/// <param name="Provider">The database's provider.</param>
/// <param name="Applied">The journal's scripts, by name.</param>
/// <param name="Pending">The source release's scripts the journal does not have, expand before contract.</param>
internal sealed record MigrationsOverview(string Source, string Provider, IReadOnlyList<string> Applied, IReadOnlyList<MigrationScript> Pending);

internal sealed partial class Deployer
{
    /// <summary>
    /// Runs the pending contract scripts of the newest release that runs in <paramref name="environment"/>, recorded
    /// as a ledger row of its own. Refused while any slot still runs a release older than the one that applied the
    /// matching expand script (same file name), or than the release that ships the contract when there is none.
    /// </summary>
    /// <exception cref="RecipeException">No database, nothing deployed, an older release still runs (named), or a script failed (named).</exception>
    public async Task<DeploymentResult> ContractAsync(DeploymentEnvironment environment, IPackageFeed feed, string who, CancellationToken cancellationToken)
    {
        var database = RequireDatabase(environment);
        var (source, pending, running) = await PendingContractAsync(environment, feed, who, cancellationToken);
        if (pending.Count == 0)
        {
            return new DeploymentResult(0, source.Version, $"no contract script of {source.Version} is pending", null);
        }

        // Checked before waiting for the lock too, so that a rollout in progress (which holds it) is named at once.
        RefuseWhileOlderRuns(environment, source, pending, running);
        using (await LockAsync(environment, $"Contract of {environment.Name}'s database by {who}", cancellationToken))
        {
            (source, pending, running) = await PendingContractAsync(environment, feed, who, cancellationToken);
            RefuseWhileOlderRuns(environment, source, pending, running);
            var id = Ledger.Begin(new DeploymentRecord(environment.Name, source.Artifact, source.Version, source.Digest, source.Commit, environment.Strategy.Kind, DeploymentKind.Contract, who));
            var journal = Journal(id);
            return await RecordAsync(id, journal, () =>
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (ran, failure) = Runner(environment, database).Run(pending);
                Log($"Contract scripts took {clock.Elapsed.TotalSeconds:0.000} s");
                foreach (var script in ran)
                {
                    Ledger.RecordSchemaScript(environment.Name, script, source.Version, id);
                }

                if (ran.Count > 0)
                {
                    journal.Note($"contracted the database: {string.Join(", ", ran)}");
                }

                return failure is null
                    ? Task.FromResult(new DeploymentResult(id, source.Version, journal.Details, null))
                    : throw new RecipeException($"Contract script {failure.Script} {failure.Outcome}{(failure.WaitedForLock ? "; " + MigrationFailure.RetryAdvice(environment.Name, "run Contract again") : string.Empty)}.");
            });
        }
    }

    /// <summary>The journal's scripts and the pending ones of the newest release that runs (else the ledger's live one).</summary>
    public async Task<MigrationsOverview> MigrationsAsync(DeploymentEnvironment environment, IPackageFeed feed, string who, CancellationToken cancellationToken)
    {
        var database = RequireDatabase(environment);
        var (source, _) = await NewestRunningAsync(environment, cancellationToken);
        var runner = Runner(environment, database);
        var applied = runner.Applied();
        var scripts = await ScriptsOfAsync(environment, feed, source, who, cancellationToken);
        return new MigrationsOverview($"{source.Artifact} {source.Version}", database.ProviderName, applied, runner.Pending(scripts));
    }

    private async Task<(DeploymentRecord Source, IReadOnlyList<MigrationScript> Pending, IReadOnlyList<ReleaseStatus> Running)> PendingContractAsync(
        DeploymentEnvironment environment, IPackageFeed feed, string who, CancellationToken cancellationToken)
    {
        var (source, running) = await NewestRunningAsync(environment, cancellationToken);
        var scripts = await ScriptsOfAsync(environment, feed, source, who, cancellationToken);
        var pending = Runner(environment, RequireDatabase(environment)).Pending([.. scripts.Where(script => script.Phase == MigrationPhase.Contract)]);
        return (source, pending, running);
    }

    /// <summary>
    /// The ledger row of the newest version that runs in any slot (during a canary, the new one), with every running
    /// release; the ledger's live row when none runs.
    /// </summary>
    private async Task<(DeploymentRecord Source, IReadOnlyList<ReleaseStatus> Running)> NewestRunningAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var status = await Target(environment).StatusAsync(environment, cancellationToken);
        var running = status.Releases.Where(release => release.State == SlotState.Running).ToList();
        var live = Ledger.Live(environment.Name)
            ?? throw new RecipeException($"Nothing is deployed to {environment.Name}, so no release ships migration scripts yet; deploy with ./build.sh --target=Deploy --environment={environment.Name}.");
        var newest = running.Select(release => release.Version).Where(version => NuGetVersion.TryParse(version, out _))
            .OrderByDescending(NuGetVersion.Parse).FirstOrDefault();
        var source = newest is null || newest == live.Version ? live : Ledger.FindVersion(environment.Artifact, newest) ?? live;
        return (source, running);
    }

    /// <summary>The scripts of <paramref name="source"/>'s package, fetched again and checked against the ledger's digest.</summary>
    private async Task<IReadOnlyList<MigrationScript>> ScriptsOfAsync(DeploymentEnvironment environment, IPackageFeed feed, DeploymentRecord source, string who, CancellationToken cancellationToken)
    {
        var request = new DeploymentRequest(environment, feed, source.Version, source.Digest, source.Commit, DeploymentKind.Contract, who);
        await using var artifact = await FetchCheckedAsync(Target(environment), request, cancellationToken);
        return ReleaseScripts(environment, artifact, source.Version);
    }

    /// <exception cref="RecipeException">A running release is older than one a pending contract script waits for.</exception>
    private void RefuseWhileOlderRuns(DeploymentEnvironment environment, DeploymentRecord source, IReadOnlyList<MigrationScript> pending, IReadOnlyList<ReleaseStatus> running)
    {
        foreach (var script in pending)
        {
            var expand = $"expand/{script.FileName}";
            var shippedBy = Ledger.SchemaScriptVersion(environment.Name, expand);
            var needed = NuGetVersion.Parse(shippedBy ?? source.Version);
            var older = running.FirstOrDefault(release => NuGetVersion.TryParse(release.Version, out var version) && version < needed);
            if (older is not null)
            {
                var why = shippedBy is null ? $"which ships {script.Name}" : $"which applied {expand}";
                throw new RecipeException(
                    $"Contract refused: slot {older.Slot} of {environment.Name} runs {older.Id} {older.Version}, older than {needed}, {why}; {script.Name} would break it. Run Contract once every slot runs {needed} or later.");
            }
        }
    }

    private static DatabaseSettings RequireDatabase(DeploymentEnvironment environment) =>
        environment.Database
        ?? throw new RecipeException($"Environment '{environment.Name}' declares no database; add database: {{ provider: sqlite }} (or postgresql with connection-from-env) to it in the environments file.");
}
