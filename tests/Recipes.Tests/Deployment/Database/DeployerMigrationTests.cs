using Microsoft.Data.Sqlite;
using Recipes.Deployment;
using Recipes.Deployment.Database;
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
public sealed class DeployerMigrationTests : IAsyncLifetime
{
    private const string Items = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);";
    private const string DisplayName = "ALTER TABLE items ADD COLUMN display_name TEXT;\nUPDATE items SET display_name = name;";
    private const string DropName = "ALTER TABLE items DROP COLUMN name;";

    private readonly InMemoryShop _shop = new("recipes-deployer-migrations");

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime: this xunit does not call a test class's IAsyncDisposable, which left every state folder behind.
    public Task DisposeAsync() => _shop.DisposeAsync().AsTask();

    private DeploymentLedger Ledger => _shop.Harness.Ledger;

    private string DatabaseFile => _shop.DatabaseFile;

    [Fact]
    public async Task Expand_scripts_run_before_the_new_release_starts_and_the_ledger_row_names_them()
    {
        _shop.Ship("1.0.0", ("expand/0001_items.sql", Items));
        _shop.Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_display_name.sql", DisplayName), ("contract/0002_display_name.sql", DropName));
        List<string>? columnsWhenTheTargetStarted = null;
        _shop.Target.OnDeploy = () => columnsWhenTheTargetStarted = Columns();

        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        var second = await Deployer().DeployAsync(Request("2.0.0"), CancellationToken.None);

        columnsWhenTheTargetStarted.ShouldBe(["id", "name", "display_name"]);
        Ledger.History("dev").First(row => row.Id == second.LedgerId).Details.ShouldBe("expanded the database: expand/0002_display_name.sql; 2.0.0 held in memory");
        Applied().ShouldBe(["expand/0001_items.sql", "expand/0002_display_name.sql"], "contract scripts never run with a deployment");
    }

    [Fact]
    public async Task A_failed_expand_script_is_rolled_back_and_stops_the_deployment_before_the_target_runs_anything()
    {
        _shop.Ship("1.0.0", ("expand/0001_items.sql", Items));
        _shop.Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_half.sql", "ALTER TABLE items ADD COLUMN display_name TEXT;\nCREATE INDEX broken ON items (no_such_column);"));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        _shop.Target.Calls.Clear();

        var failure = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request("2.0.0"), CancellationToken.None));

        failure.Message.ShouldStartWith("Expand script expand/0002_half.sql failed and was rolled back, so the schema is as before it: ");
        _shop.Target.Calls.ShouldBe(["Fetch"], "the new release never started");
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
        _shop.Ship("1.0.0", ("expand/0001_items.sql", Items));
        _shop.Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_display_name.sql", DisplayName));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        _shop.Target.Calls.Clear();
        using var holder = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        holder.Open();
        using var writing = holder.BeginTransaction(deferred: false);
        var impatient = Environment() with { Database = new DatabaseSettings(DatabaseProvider.Sqlite, null) { LockTimeout = TimeSpan.FromMilliseconds(200) } };

        var failure = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(_shop.Harness.Request(impatient, "2.0.0"), CancellationToken.None));

        failure.Message.ShouldBe("Reading the sqlite migration journal waited longer than 1s for a lock on the database file, so no script ran; another session holds that lock: run again once it is gone.");
        _shop.Target.Calls.ShouldBe(["Fetch"], "the new release never started");
        writing.Rollback();
        Columns().ShouldBe(["id", "name"]);
    }

    [Fact]
    public async Task The_live_release_that_breaks_on_the_expanded_schema_stops_the_deployment_before_traffic_moves()
    {
        _shop.Ship("1.0.0", ("expand/0001_items.sql", Items));
        _shop.Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_rename.sql", "ALTER TABLE items RENAME COLUMN name TO display_name;"));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        await StartV1Async();
        _shop.Target.Calls.Clear();

        var failure = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request("2.0.0"), CancellationToken.None));

        failure.Message.ShouldStartWith("Compatibility check failed: the live release 1.0.0 (slot blue) answers 500 to its health check GET /health (expected 200) on the schema expanded by expand/0002_rename.sql; nothing switched.");
        _shop.Target.Calls.ShouldBe(["Fetch", "Status"], "the target never deployed 2.0.0");
        Ledger.History("dev").First().Outcome.ShouldBe(DeploymentOutcome.Failed);
    }

    [Fact]
    public async Task An_additive_expand_passes_the_live_releases_health_and_smoke_checks()
    {
        _shop.Ship("1.0.0", ("expand/0001_items.sql", Items));
        _shop.Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_display_name.sql", DisplayName));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        await StartV1Async();

        await Deployer().DeployAsync(Request("2.0.0", [new SmokeCheck("/items", 200)]), CancellationToken.None);

        _shop.Target.Calls.ShouldContain("Deploy");
        _shop.Harness.Log.ShouldContain(line => line.StartsWith("Compatibility check: the live release 1.0.0 (slot blue) passes its health check and 1 smoke check(s) on the expanded schema (in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contract_is_refused_while_a_slot_runs_a_release_older_than_the_expand_and_applied_once_none_does()
    {
        _shop.Ship("1.0.0", ("expand/0001_items.sql", Items));
        _shop.Ship("2.0.0", ("expand/0001_items.sql", Items), ("expand/0002_display_name.sql", DisplayName), ("contract/0002_display_name.sql", DropName));
        await Deployer().DeployAsync(Request("1.0.0"), CancellationToken.None);
        await Deployer().DeployAsync(Request("2.0.0"), CancellationToken.None);
        _shop.Target.Releases.AddRange([InMemoryShop.Release("blue", "1.0.0", 50), InMemoryShop.Release("green", "2.0.0", 50)]);

        var refused = await Should.ThrowAsync<RecipeException>(() => Deployer().ContractAsync(Environment(), Feed(), "test", CancellationToken.None));

        refused.Message.ShouldBe("Contract refused: slot blue of dev runs Shop 1.0.0, older than 2.0.0, which applied expand/0002_display_name.sql; contract/0002_display_name.sql would break it. Run Contract once every slot runs 2.0.0 or later.");
        Columns().ShouldContain("name");

        _shop.Target.Releases.RemoveAt(0);
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
        var connection = $"Data Source={_shop.Harness.State.Combine("secret-4c1e.sqlite")}";
        System.Environment.SetEnvironmentVariable(variable, connection);
        try
        {
            _shop.Ship("1.0.0", ("expand/0001_items.sql", Items), ("expand/0002_fails.sql", "SELECT no_such_column FROM items;"));
            var dev = Environment() with { Database = new DatabaseSettings(DatabaseProvider.Sqlite, variable) };

            await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request("1.0.0") with { Environment = dev }, CancellationToken.None));
            var options = Deployer().StartOptions(dev);

            options.Secrets[DatabaseSettings.ConnectionStringVariable].ShouldBe(variable);
            options.Variables.Values.ShouldNotContain(connection);
            options.Variables[DatabaseSettings.ProviderVariable].ShouldBe("sqlite");
            Ledger.History("dev").ShouldAllBe(row => !(row.Details ?? "").Contains("secret-4c1e"));
            _shop.Harness.Log.ShouldAllBe(line => !line.Contains("secret-4c1e"));
            File.Exists(_shop.Harness.State.Combine("secret-4c1e.sqlite")).ShouldBeTrue("the deployment used the variable's database");
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(variable, null);
        }
    }

    /// <summary>A "v1" that reads column name: /health and /items answer 500 once it is gone.</summary>
    private Task StartV1Async() => _shop.StartV1Async("/health", "/items");

    private Deployer Deployer() => _shop.Harness.Deployer([InMemoryTarget.Registration(_shop.Target)]);

    private DeploymentRequest Request(string version, IReadOnlyList<SmokeCheck>? smoke = null) => _shop.Harness.Request(Environment(smoke), version);

    private FolderFeed Feed() => _shop.Harness.Feed();

    private DeploymentEnvironment Environment(IReadOnlyList<SmokeCheck>? smoke = null) =>
        DeployerHarness.Environment("Shop", _shop.Port) with { Smoke = smoke ?? [], Database = new DatabaseSettings(DatabaseProvider.Sqlite, null) };

    private List<string> Applied() => new MigrationRunner(new DatabaseSettings(DatabaseProvider.Sqlite, null), $"Data Source={DatabaseFile}", _ => { }).Applied().ToList();

    private List<string> Columns() => SqliteSchema.Columns(DatabaseFile, "items");
}
