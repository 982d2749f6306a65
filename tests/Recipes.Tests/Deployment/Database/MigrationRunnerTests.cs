using Microsoft.Data.Sqlite;
using Recipes.Deployment.Database;
using Recipes.Tests.Support;
using static Recipes.Tests.Deployment.Database.TestScripts;

namespace Recipes.Tests.Deployment.Database;

/// <summary>DbUp on a real SQLite file: scripts read from the package, journaled, one transaction each.</summary>
public sealed class MigrationRunnerTests : IDisposable
{
    private readonly TempDirectory _folder = new("recipes-migrations");
    private readonly List<string> _log = [];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private string ConnectionString => $"Data Source={_folder.Combine("shop.sqlite")}";

    [Fact]
    public void Scripts_come_from_the_package_by_phase_in_name_order()
    {
        var package = MigrationPackage.Create(_folder.Path, "2.0.0", new Dictionary<string, string>
        {
            ["contract/0002_display_name.sql"] = "ALTER TABLE items DROP COLUMN name;",
            ["expand/0002_display_name.sql"] = "ALTER TABLE items ADD COLUMN display_name TEXT;",
            ["expand/0001_items.sql"] = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);",
            ["expand/notes.txt"] = "not a script",
        });

        MigrationScripts.FromPackage(package).Select(script => (script.Phase, script.Name)).ShouldBe(
        [
            (MigrationPhase.Expand, "expand/0001_items.sql"),
            (MigrationPhase.Expand, "expand/0002_display_name.sql"),
            (MigrationPhase.Contract, "contract/0002_display_name.sql"),
        ]);
    }

    [Fact]
    public void A_script_named_for_one_engine_runs_on_that_engine_only()
    {
        MigrationScript[] scripts =
        [
            Expand("0001_items.sql", "CREATE TABLE items (id INTEGER);"),
            Expand("0002_sync.postgresql.sql", "CREATE FUNCTION sync() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;"),
            Expand("0002_sync.sqlite.sql", "CREATE TRIGGER sync AFTER INSERT ON items BEGIN SELECT 1; END;"),
        ];

        MigrationScripts.For(scripts, DatabaseProvider.Sqlite).Select(script => script.Name).ShouldBe(["expand/0001_items.sql", "expand/0002_sync.sqlite.sql"]);
        MigrationScripts.For(scripts, DatabaseProvider.Postgresql).Select(script => script.Name).ShouldBe(["expand/0001_items.sql", "expand/0002_sync.postgresql.sql"]);
    }

    // Another connection's write (a release's long transaction) holds SQLite's one write lock; after the busy timeout
    // (whole seconds in Microsoft.Data.Sqlite, so 1 s here) the script says it waited for a lock, like PostgreSQL's.
    [Fact]
    public void A_script_that_finds_the_database_busy_past_the_lock_timeout_says_it_waited_for_a_lock()
    {
        var runner = new MigrationRunner(new DatabaseSettings(DatabaseProvider.Sqlite, null) { LockTimeout = TimeSpan.FromMilliseconds(200) }, ConnectionString, _log.Add);
        runner.Run([Expand("0001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);")]).Failure.ShouldBeNull();
        using var holder = new SqliteConnection(ConnectionString);
        holder.Open();
        using var writing = holder.BeginTransaction(deferred: false);

        var (ran, failure) = runner.Run([Expand("0002_display_name.sql", "ALTER TABLE items ADD COLUMN display_name TEXT;")]);

        ran.ShouldBeEmpty();
        failure.ShouldBe(new MigrationFailure("expand/0002_display_name.sql", "waited longer than 1s for a lock on the database file", WaitedForLock: true));
    }

    [Fact]
    public void Pending_scripts_run_once_and_the_journal_keeps_them()
    {
        var runner = Runner();
        MigrationScript[] first = [Expand("0001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);")];
        MigrationScript[] both = [.. first, Expand("0002_display_name.sql", "ALTER TABLE items ADD COLUMN display_name TEXT;")];

        runner.Run(first).Ran.ShouldBe(["expand/0001_items.sql"]);
        runner.Pending(both).Select(script => script.Name).ShouldBe(["expand/0002_display_name.sql"]);
        var (ran, failure) = runner.Run(runner.Pending(both));
        (ran.ShouldHaveSingleItem(), failure).ShouldBe(("expand/0002_display_name.sql", null));

        runner.Applied().ShouldBe(["expand/0001_items.sql", "expand/0002_display_name.sql"]);
        Columns("items").ShouldBe(["id", "name", "display_name"]);
    }

    [Fact]
    public void A_script_that_fails_half_way_is_rolled_back_named_and_stops_the_rest()
    {
        var runner = Runner();
        runner.Run([Expand("0001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);")]);

        var (ran, failure) = runner.Run(
        [
            Expand("0002_half.sql", "ALTER TABLE items ADD COLUMN display_name TEXT;\nCREATE INDEX items_by_missing ON items (no_such_column);"),
            Expand("0003_after.sql", "CREATE TABLE after_the_failure (id INTEGER);"),
        ]);

        ran.ShouldBeEmpty();
        failure.ShouldNotBeNull().Script.ShouldBe("expand/0002_half.sql");
        failure.Reason.ShouldContain("no_such_column");
        Columns("items").ShouldBe(["id", "name"], "the script's first statement was rolled back with it");
        Columns("after_the_failure").ShouldBeEmpty();
        runner.Applied().ShouldBe(["expand/0001_items.sql"]);
    }

    /// <summary>
    /// Two releases share the database during a switch. In SQLite's default rollback journal, an INSERT … RETURNING
    /// commits when its row has been read, and a reader of the other release holding the file then makes that commit
    /// fail at once with "database is locked" (Microsoft.Data.Sqlite retries a busy step, not a busy commit): the
    /// writes lost in DatabaseDeploymentTests. In WAL mode readers never block the writer's commit.
    /// </summary>
    [Fact]
    public void A_sqlite_database_it_migrates_takes_one_release_s_writes_while_another_release_reads()
    {
        Runner().Run([Expand("0001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);")]);
        using var otherRelease = Open();
        using var reading = otherRelease.CreateCommand();
        reading.CommandText = "SELECT 1 FROM items UNION ALL SELECT 2;";
        using var read = reading.ExecuteReader();
        read.Read().ShouldBeTrue("the other release is in the middle of a read");

        using var release = Open();
        using var insert = release.CreateCommand();
        insert.CommandText = "INSERT INTO items (name) VALUES ('written during the switch') RETURNING id;";

        Should.NotThrow(() => insert.ExecuteScalar()).ShouldBe(1L);
    }

    [Fact]
    public void The_connection_string_is_masked_in_errors_and_log_lines()
    {
        var secret = $"Data Source={_folder.Combine("no-such-folder", "secret-7f3a.sqlite")};Mode=ReadWrite";
        var runner = new MigrationRunner(new DatabaseSettings(DatabaseProvider.Sqlite, "SHOP_DB"), secret, _log.Add);

        var reported = FailureOf(runner, Expand("0001.sql", "CREATE TABLE t (id INTEGER);"));

        reported.ShouldNotContain("secret-7f3a");
        runner.Mask($"could not open {secret}").ShouldBe("could not open ***");
        _log.ShouldAllBe(line => !line.Contains("secret-7f3a"));
    }

    private MigrationRunner Runner() => new(new DatabaseSettings(DatabaseProvider.Sqlite, null), ConnectionString, _log.Add);

    private SqliteConnection Open()
    {
        // No pooling, so each is a connection of its own as another process's would be; a short timeout, so a busy commit fails fast.
        var connection = new SqliteConnection(ConnectionString + ";Pooling=False;Default Timeout=2");
        connection.Open();
        return connection;
    }

    private List<string> Columns(string table) => SqliteSchema.Columns(_folder.Combine("shop.sqlite"), table);
}
