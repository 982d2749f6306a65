using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Recipes.Deployment;
using Recipes.Deployment.Database;
using Recipes.Deployment.Slots;
using Recipes.Deployment.Toggles;
using Recipes.Feeds;
using Recipes.Tests.Deployment.Targets;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Database;

/// <summary>
/// The deployer's parallel change on a real SQLite database, with a target that runs nothing and, where the N-1 check
/// needs one, an in-process "v1" that really reads column <c>name</c>: expand before the new release starts, the
/// compatibility check of the live release, and Contract refused while an older release runs.
/// </summary>
public sealed class DeployerMigrationTests : IAsyncDisposable
{
    private const string Items = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);";
    private const string DisplayName = "ALTER TABLE items ADD COLUMN display_name TEXT;\nUPDATE items SET display_name = name;";
    private const string DropName = "ALTER TABLE items DROP COLUMN name;";

    private readonly DeployerHarness _harness = new("recipes-deployer-migrations");
    private readonly InMemoryTarget _target;
    private WebApplication? _v1;

    public DeployerMigrationTests() => _target = new InMemoryTarget(_harness.LedgerPath);

    public async ValueTask DisposeAsync()
    {
        if (_v1 is not null)
        {
            await _v1.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _harness.Dispose();
    }

    private DeploymentLedger Ledger => _harness.Ledger;

    private string DatabaseFile => DatabaseSettings.DefaultSqliteFile(_harness.State.Path, "dev");

    [Fact]
    public async Task Expand_scripts_run_before_the_new_release_starts_and_the_ledger_row_names_them()
    {
        Ship("1.0.0", ("expand/0001_items.sql", Items));
        Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_display_name.sql", DisplayName), ("contract/0002_display_name.sql", DropName));
        List<string>? columnsWhenTheTargetStarted = null;
        _target.OnDeploy = () => columnsWhenTheTargetStarted = Columns();

        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        var second = await Deployer().DeployAsync(Request("2.0.0"), CancellationToken.None);

        columnsWhenTheTargetStarted.ShouldBe(["id", "name", "display_name"]);
        Ledger.History("dev").First(row => row.Id == second.LedgerId).Details.ShouldBe("expanded the database: expand/0002_display_name.sql; 2.0.0 held in memory");
        Applied().ShouldBe(["expand/0001_items.sql", "expand/0002_display_name.sql"], "contract scripts never run with a deployment");
    }

    [Fact]
    public async Task A_failed_expand_script_is_rolled_back_and_stops_the_deployment_before_the_target_runs_anything()
    {
        Ship("1.0.0", ("expand/0001_items.sql", Items));
        Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_half.sql", "ALTER TABLE items ADD COLUMN display_name TEXT;\nCREATE INDEX broken ON items (no_such_column);"));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        _target.Calls.Clear();

        var failure = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request("2.0.0"), CancellationToken.None));

        failure.Message.ShouldStartWith("Expand script expand/0002_half.sql failed and was rolled back, so the schema is as before it: ");
        _target.Calls.ShouldBe(["Fetch"], "the new release never started");
        Columns().ShouldBe(["id", "name"]);
        var row = Ledger.History("dev").First();
        (row.Version, row.Outcome).ShouldBe(("2.0.0", DeploymentOutcome.Failed));
        row.Details.ShouldNotBeNull().ShouldContain("expand/0002_half.sql");
        Ledger.Live("dev").ShouldNotBeNull().Version.ShouldBe("1.0.0");
    }

    // The release's own long write holds the database; DbUp's journal read (in a transaction) gives up after the lock
    // timeout (1 s: SQLite's busy timeout is whole seconds) and the one line says what it waited for and what to do.
    [Fact]
    public async Task An_expand_script_that_waits_past_the_lock_timeout_stops_the_deployment_saying_so_and_what_to_do()
    {
        Ship("1.0.0", ("expand/0001_items.sql", Items));
        Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_display_name.sql", DisplayName));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        _target.Calls.Clear();
        using var holder = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        holder.Open();
        using var writing = holder.BeginTransaction(deferred: false);
        var impatient = Environment() with { Database = new DatabaseSettings(DatabaseProvider.Sqlite, null) { LockTimeout = TimeSpan.FromMilliseconds(200) } };

        var failure = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(_harness.Request(impatient, "2.0.0"), CancellationToken.None));

        failure.Message.ShouldBe("Reading the sqlite migration journal waited longer than 1s for a lock on the database file, so no script ran; another session holds that lock: run again once it is gone.");
        _target.Calls.ShouldBe(["Fetch"], "the new release never started");
        writing.Rollback();
        Columns().ShouldBe(["id", "name"]);
    }

    [Fact]
    public async Task The_live_release_that_breaks_on_the_expanded_schema_stops_the_deployment_before_traffic_moves()
    {
        Ship("1.0.0", ("expand/0001_items.sql", Items));
        Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_rename.sql", "ALTER TABLE items RENAME COLUMN name TO display_name;"));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        await StartV1Async();
        _target.Calls.Clear();

        var failure = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request("2.0.0"), CancellationToken.None));

        failure.Message.ShouldStartWith("Compatibility check failed: the live release 1.0.0 (slot blue) answers 500 to its health check GET /health (expected 200) on the schema expanded by expand/0002_rename.sql; nothing switched.");
        _target.Calls.ShouldBe(["Fetch", "Status"], "the target never deployed 2.0.0");
        Ledger.History("dev").First().Outcome.ShouldBe(DeploymentOutcome.Failed);
    }

    [Fact]
    public async Task An_additive_expand_passes_the_live_releases_health_and_smoke_checks()
    {
        Ship("1.0.0", ("expand/0001_items.sql", Items));
        Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_display_name.sql", DisplayName));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        await StartV1Async();

        await Deployer().DeployAsync(Request("2.0.0", [new SmokeCheck("/items", 200)]), CancellationToken.None);

        _target.Calls.ShouldContain("Deploy");
        _harness.Log.ShouldContain(line => line.StartsWith("Compatibility check: the live release 1.0.0 (slot blue) passes its health check and 1 smoke check(s) on the expanded schema (in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contract_is_refused_while_a_slot_runs_a_release_older_than_the_expand_and_applied_once_none_does()
    {
        Ship("1.0.0", ("expand/0001_items.sql", Items));
        Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_display_name.sql", DisplayName), ("contract/0002_display_name.sql", DropName));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        await Deployer().DeployAsync(Request("2.0.0"), CancellationToken.None);
        _target.Releases.AddRange([Release("blue", "1.0.0", 50), Release("green", "2.0.0", 50)]);

        var refused = await Should.ThrowAsync<RecipeException>(() => Deployer().ContractAsync(Environment(), Feed(), "test", CancellationToken.None));

        refused.Message.ShouldBe("Contract refused: slot blue of dev runs Shop 1.0.0, older than 2.0.0, which applied expand/0002_display_name.sql; contract/0002_display_name.sql would break it. Run Contract once every slot runs 2.0.0 or later.");
        Columns().ShouldContain("name");

        _target.Releases.RemoveAt(0);
        var contracted = await Deployer().ContractAsync(Environment(), Feed(), "test", CancellationToken.None);

        Columns().ShouldBe(["id", "display_name"]);
        var row = Ledger.History("dev").First();
        (row.Id, row.Kind, row.Version, row.Outcome, row.Details).ShouldBe((contracted.LedgerId, DeploymentKind.Contract, "2.0.0", DeploymentOutcome.Succeeded, "contracted the database: contract/0002_display_name.sql"));
        var overview = await Deployer().MigrationsAsync(Environment(), Feed(), "test", CancellationToken.None);
        overview.Applied.ShouldBe(["contract/0002_display_name.sql", "expand/0001_items.sql", "expand/0002_display_name.sql"]);
        overview.Pending.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_connection_string_from_a_variable_reaches_the_release_by_name_only_and_no_ledger_row_or_log()
    {
        var variable = "RECIPES_TEST_SHOP_DB_" + Guid.NewGuid().ToString("N");
        var connection = $"Data Source={_harness.State.Combine("secret-4c1e.sqlite")}";
        System.Environment.SetEnvironmentVariable(variable, connection);
        try
        {
            Ship("1.0.0", ("expand/0001_items.sql", Items), ("expand/0002_fails.sql", "SELECT no_such_column FROM items;"));
            var dev = Environment() with { Database = new DatabaseSettings(DatabaseProvider.Sqlite, variable) };

            await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request("1.0.0") with { Environment = dev }, CancellationToken.None));
            var options = Deployer().StartOptions(dev);

            options.Secrets[DatabaseSettings.ConnectionStringVariable].ShouldBe(variable);
            options.Variables.Values.ShouldNotContain(connection);
            options.Variables[DatabaseSettings.ProviderVariable].ShouldBe("sqlite");
            Ledger.History("dev").ShouldAllBe(row => !(row.Details ?? "").Contains("secret-4c1e"));
            _harness.Log.ShouldAllBe(line => !line.Contains("secret-4c1e"));
            File.Exists(_harness.State.Combine("secret-4c1e.sqlite")).ShouldBeTrue("the deployment used the variable's database");
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(variable, null);
        }
    }

    /// <summary>A "v1" that reads column name: /health and /items answer 500 once it is gone.</summary>
    private async Task StartV1Async()
    {
        _v1 = LoopbackApp.CreateBuilder().Build();
        IResult ReadNames()
        {
            try
            {
                using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(name) FROM items;";
                return Results.Ok(command.ExecuteScalar());
            }
            catch (SqliteException)
            {
                return Results.StatusCode(500);
            }
        }

        _v1.MapGet("/health", ReadNames);
        _v1.MapGet("/items", ReadNames);
        await _v1.StartAsync();
        _port = LoopbackApp.Address(_v1).Port;
        _target.Releases.Add(Release("blue", "1.0.0", 100));
    }

    private int _port = 5999;

    private void Ship(string version, params (string Name, string Sql)[] scripts) =>
        _target.PackageFiles[version] = MigrationPackage.Create(_harness.State.Path, version, scripts.ToDictionary(script => script.Name, script => script.Sql));

    private static ReleaseStatus Release(string slot, string version, int share) =>
        new(slot, "Shop", version, "0123456789ab", SlotState.Running, "running", "in memory", share, false);

    private Deployer Deployer() => _harness.Deployer([InMemoryTarget.Registration(_target)]);

    private DeploymentRequest Request(string version, IReadOnlyList<SmokeCheck>? smoke = null) => _harness.Request(Environment(smoke), version);

    private FolderFeed Feed() => _harness.Feed();

    private DeploymentEnvironment Environment(IReadOnlyList<SmokeCheck>? smoke = null) =>
        DeployerHarness.Environment("Shop", _port) with { Smoke = smoke ?? [], Database = new DatabaseSettings(DatabaseProvider.Sqlite, null) };

    private List<string> Applied() => new MigrationRunner(new DatabaseSettings(DatabaseProvider.Sqlite, null), $"Data Source={DatabaseFile}", _ => { }).Applied().ToList();

    private List<string> Columns() => SqliteSchema.Columns(DatabaseFile, "items");
}
