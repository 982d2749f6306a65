using Npgsql;
using Recipes.Deployment.Database;
using Recipes.Tests.Support;
using static Recipes.Tests.Deployment.Database.TestScripts;

namespace Recipes.Tests.Deployment.Database;

/// <summary>DbUp on a real PostgreSQL 15 (one per test run): journal, one transaction per script, masked password.</summary>
[Trait("Category", "Slow")]
public sealed class PostgresMigrationRunnerTests
{
    private readonly List<string> _log = [];
    private readonly string _connection = PostgresServer.Shared.CreateDatabase();

    [Fact]
    public void Expand_scripts_run_once_and_a_failing_one_is_rolled_back_and_named()
    {
        var runner = new MigrationRunner(new DatabaseSettings(DatabaseProvider.Postgresql, "SHOP_DB"), _connection, _log.Add);
        runner.Run([Expand("0001_items.sql", "CREATE TABLE items (id serial PRIMARY KEY, name text);")]).Failure.ShouldBeNull();

        var (ran, failure) = runner.Run(
        [
            Expand("0002_half.sql", "ALTER TABLE items ADD COLUMN display_name text;\nUPDATE items SET display_name = catalog.name FROM catalog WHERE catalog.id = items.id;"),
            Expand("0003_after.sql", "CREATE TABLE after_the_failure (id int);"),
        ]);

        ran.ShouldBeEmpty();
        failure.ShouldNotBeNull().Script.ShouldBe("expand/0002_half.sql");
        failure.Reason.ShouldBe("42P01: relation \"catalog\" does not exist", "one line: the deployment's error is one line");
        Columns().ShouldBe(["id", "name"], "the script's first statement was rolled back with it");
        runner.Applied().ShouldBe(["expand/0001_items.sql"]);
        _log.ShouldAllBe(line => !line.Contains(PostgresServer.Password));
    }

    [Fact]
    public void A_refused_login_is_one_line_without_the_connection_string_or_password()
    {
        var wrong = _connection.Replace(PostgresServer.Password, PostgresServer.Password + "-wrong", StringComparison.Ordinal);
        var runner = new MigrationRunner(new DatabaseSettings(DatabaseProvider.Postgresql, "SHOP_DB"), wrong, _log.Add);

        var reported = FailureOf(runner, Expand("0001.sql", "CREATE TABLE t (id int);"));

        reported.ShouldNotContain(PostgresServer.Password);
        reported.ShouldNotContain("\n");
        _log.ShouldAllBe(line => !line.Contains(PostgresServer.Password));
    }

    // A long read of the live release holds a lock the ALTER must wait for; past the lock timeout the script gives up
    // and says so (before, it waited for Npgsql's 30 s command timeout and failed as "Exception while reading from stream").
    [Fact]
    public async Task A_script_that_waits_longer_than_the_lock_timeout_is_rolled_back_and_says_it_waited_for_a_lock_on_its_table()
    {
        var settings = new DatabaseSettings(DatabaseProvider.Postgresql, "SHOP_DB") { LockTimeout = TimeSpan.FromMilliseconds(300) };
        var runner = new MigrationRunner(settings, _connection, _log.Add);
        runner.Run([Expand("0001_items.sql", "CREATE TABLE items (id serial PRIMARY KEY, name text);")]).Failure.ShouldBeNull();
        MigrationScript alter = Expand("0002_display_name.sql", "-- v2's column\nALTER TABLE items ADD COLUMN display_name text;");
        await using (var holder = new NpgsqlConnection(_connection))
        {
            await holder.OpenAsync();
            await using var reading = await holder.BeginTransactionAsync();
            await using (var read = new NpgsqlCommand("SELECT count(*) FROM items", holder, reading))
            {
                await read.ExecuteScalarAsync();
            }

            var (ran, failure) = runner.Run([alter]);

            ran.ShouldBeEmpty();
            failure.ShouldNotBeNull().ShouldBe(new MigrationFailure("expand/0002_display_name.sql", "waited longer than 300ms for a lock on items", WaitedForLock: true));
            failure.Outcome.ShouldBe("waited longer than 300ms for a lock on items and was rolled back, so the schema is as before it");
        }

        Columns().ShouldBe(["id", "name"]);
        runner.Run([alter]).Failure.ShouldBeNull("the holder is gone, so the same script applies");
        Columns().ShouldBe(["id", "name", "display_name"]);
    }

    private List<string> Columns()
    {
        using var connection = new NpgsqlConnection(_connection);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT column_name FROM information_schema.columns WHERE table_name = 'items' ORDER BY ordinal_position;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
