using Recipes.Deployment.Database;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment;

internal sealed partial class Deployer
{
    private static readonly TimeSpan CompatibilityRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs the live release's own tests marked as database checks in the compatibility check; null skips them.</summary>
    public LiveReleaseDatabaseChecks? DatabaseChecks { get; init; }

    /// <summary>
    /// Before the new release starts: runs its pending expand scripts on the environment's database (one transaction
    /// each), then checks that the release live now still answers its health and smoke checks on the expanded schema.
    /// Nothing has switched when either fails, so the live release serves on.
    /// </summary>
    /// <exception cref="RecipeException">A script failed (rolled back; named), or the live release fails a check on the expanded schema (named).</exception>
    private async Task ExpandAsync(DeploymentRequest request, FetchedArtifact artifact, long id, DeploymentJournal journal, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        if (environment.Database is not { } database)
        {
            return;
        }

        var scripts = ReleaseScripts(environment, artifact, request.Version).Where(script => script.Phase == MigrationPhase.Expand).ToList();
        var runner = Runner(environment, database);
        var pending = runner.Pending(scripts);
        if (pending.Count == 0)
        {
            Log($"{environment.Name}'s {database.ProviderName} database has every expand script of {request.Version} ({scripts.Count})");
            return;
        }

        Log($"Expanding {environment.Name}'s {database.ProviderName} database for {request.Version}: {string.Join(", ", pending.Select(script => script.Name))}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (ran, failure) = runner.Run(pending);
        // Timed for the team (and bench/migrations): a backfill's cost is paid inside every deployment that ships it.
        Log($"Expand scripts took {clock.Elapsed.TotalSeconds:0.000} s");
        foreach (var script in ran)
        {
            Ledger.RecordSchemaScript(environment.Name, script, request.Version, id);
        }

        if (ran.Count > 0)
        {
            journal.Note($"expanded the database: {string.Join(", ", ran)}");
        }

        if (failure is not null)
        {
            var next = failure.WaitedForLock ? MigrationFailure.RetryAdvice(environment.Name, "deploy again") : "fix the script and deploy a new version";
            throw new RecipeException($"Expand script {failure.Script} {failure.Outcome}. {request.Version} was not started and no traffic moved; {next}.");
        }

        await CheckLiveReleaseAsync(environment, ran, journal, cancellationToken);
    }

    /// <summary>
    /// The compatibility check: the release that takes traffic now (N-1) answers its health check and smoke checks
    /// through the environment's public port, on the schema <paramref name="expandedBy"/> just changed; then its own
    /// tests marked as database checks (<see cref="DatabaseChecks"/>). A check that cannot run is a warning in the row.
    /// </summary>
    private async Task CheckLiveReleaseAsync(DeploymentEnvironment environment, IReadOnlyList<string> expandedBy, DeploymentJournal journal, CancellationToken cancellationToken)
    {
        var status = await Target(environment).StatusAsync(environment, cancellationToken);
        var live = status.Releases.Where(release => release.State == SlotState.Running && release.TrafficShare > 0).ToList();
        if (live.Count == 0)
        {
            return;
        }

        var versions = string.Join(" and ", live.Select(release => $"{release.Version} (slot {release.Slot})"));
        var checks = new List<(string Name, string Path, int Expected)> { ("health check", environment.Health.Path, environment.Health.ExpectedStatus) };
        checks.AddRange(environment.Smoke.Select(smoke => ("smoke check", smoke.Path, smoke.ExpectedStatus)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var client = new HttpClient { Timeout = CompatibilityRequestTimeout };
        foreach (var (name, path, expected) in checks)
        {
            var answer = await AnswerAsync(client, new Uri($"http://127.0.0.1:{environment.Port}{path}"), cancellationToken);
            if (answer != expected.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new RecipeException(
                    $"Compatibility check failed: the live release {versions} answers {answer} to its {name} GET {path} (expected {expected}) on the schema expanded by {string.Join(", ", expandedBy)}; nothing switched. Those scripts stay applied: fix forward with an expand script that gives the live release what it needs, and deploy again.");
            }
        }

        Log($"Compatibility check: the live release {versions} passes its health check and {environment.Smoke.Count} smoke check(s) on the expanded schema (in {clock.Elapsed.TotalSeconds:0.000} s)");
        if (DatabaseChecks is { } databaseChecks && Ledger.Live(environment.Name) is { } row)
        {
            var results = Path.Combine(StateDirectory, "database-checks", environment.Name);
            var warning = await Task.Run(() => databaseChecks.Run(row, environment.Port, DatabaseVariables(environment), results, Log), cancellationToken);
            if (warning is not null)
            {
                Log(warning);
                journal.Note(warning);
            }
        }
    }

    /// <summary>The database as the release sees it, with the connection string itself (a test process gets it, no log does).</summary>
    private Dictionary<string, string> DatabaseVariables(DeploymentEnvironment environment)
    {
        var database = environment.Database!;
        return new(StringComparer.Ordinal)
        {
            [DatabaseSettings.ProviderVariable] = database.ProviderName,
            [DatabaseSettings.ConnectionStringVariable] = database.ConnectionString(StateDirectory, environment.Name),
        };
    }

    private static async Task<string> AnswerAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url, cancellationToken);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"no answer ({exception.Message})";
        }
    }

    /// <summary>The migration scripts of the checked package the target fetched; never the working tree.</summary>
    /// <exception cref="RecipeException">The target fetched no package to read them from.</exception>
    private static IReadOnlyList<MigrationScript> ReleaseScripts(DeploymentEnvironment environment, FetchedArtifact artifact, string version) =>
        artifact.PackageFile is { } package
            ? MigrationScripts.For(MigrationScripts.FromPackage(package), environment.Database!.Provider)
            : throw new RecipeException(
                $"Environment '{environment.Name}' declares a database, and its target '{environment.Target}' gives the deployer no package of {environment.Artifact} {version} to read migration scripts from; remove 'database:' or deploy with the local target.");

    private MigrationRunner Runner(DeploymentEnvironment environment, DatabaseSettings database) =>
        new(database, database.ConnectionString(StateDirectory, environment.Name), Log);

    /// <summary>
    /// The release's database connection, as declared variables: the provider, and the connection string by the build
    /// variable that holds it (read only when the release starts, like any secret), or SQLite's default file.
    /// </summary>
    private void AddDatabase(DeploymentEnvironment environment, Dictionary<string, string> variables, Dictionary<string, string> secrets)
    {
        if (environment.Database is not { } database)
        {
            return;
        }

        variables[DatabaseSettings.ProviderVariable] = database.ProviderName;
        if (database.ConnectionVariable is { } fromVariable)
        {
            secrets[DatabaseSettings.ConnectionStringVariable] = fromVariable;
        }
        else
        {
            variables[DatabaseSettings.ConnectionStringVariable] = database.ConnectionString(StateDirectory, environment.Name);
        }
    }
}
