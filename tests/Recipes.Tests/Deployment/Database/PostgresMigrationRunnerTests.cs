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
            Expand("0002_half.sql", "ALTER TABLE items ADD COLUMN display_name text;\nCREATE INDEX broken ON items (no_such_column);"),
            Expand("0003_after.sql", "CREATE TABLE after_the_failure (id int);"),
        ]);

        ran.ShouldBeEmpty();
        failure.ShouldNotBeNull().Script.ShouldBe("expand/0002_half.sql");
        failure.Reason.ShouldContain("no_such_column");
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
