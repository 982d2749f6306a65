using Recipes.Deployment;
using Recipes.Deployment.Database;

namespace Recipes.Tests.Deployment.Database;

/// <summary>An environment's <c>database:</c>: SQLite by default, the connection string only by the name of its variable.</summary>
public sealed class DatabaseEnvironmentTests
{
    [Fact]
    public void Sqlite_is_the_default_and_postgresql_takes_its_connection_from_a_variable()
    {
        var environments = EnvironmentsFile.Parse("environments.yml", Yaml("database: {}", "database: { provider: postgresql, connection-from-env: SHOP_DB }"));

        environments.Get("dev").Database.ShouldBe(new DatabaseSettings(DatabaseProvider.Sqlite, null));
        environments.Get("prod").Database.ShouldBe(new DatabaseSettings(DatabaseProvider.Postgresql, "SHOP_DB"));
        environments.Get("dev").Database.ShouldNotBeNull().LockTimeout.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_lock_timeout_bounds_how_long_a_script_waits_for_a_lock()
    {
        var environments = EnvironmentsFile.Parse("environments.yml", Yaml("database: { lock-timeout: 3s }", "database: { provider: sqlite }"));

        environments.Get("dev").Database.ShouldNotBeNull().LockTimeout.ShouldBe(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void An_environment_without_a_database_has_none()
    {
        var dev = EnvironmentsFile.Parse("environments.yml", "environments:\n  - name: dev\n    artifact: Shop\n    port: 5080\n").Get("dev");

        dev.Database.ShouldBeNull();
    }

    [Theory]
    [InlineData("database: { provider: mysql }", "environments.yml:5: 'database.provider' is 'mysql'; use sqlite or postgresql.")]
    [InlineData("database: { provider: postgresql }", "environments.yml:5: 'database.connection-from-env' is missing; a postgresql database needs the variable that holds its connection string, such as connection-from-env: SHOP_DB.")]
    [InlineData("database: { provider: postgresql, connection-from-env: 'Host=db;Password=hunter2' }", "environments.yml:5: 'database.connection-from-env' names the variable that holds the connection string, such as SHOP_DB (letters, digits and '_'), never the connection string itself.")]
    [InlineData("database: { provider: sqlite, connection: x }", "environments.yml:5: unknown key 'database.connection'.")]
    [InlineData("database: sqlite", "environments.yml:5: 'database' must be a mapping")]
    [InlineData("database: { provider: sqlite, lock-timeout: soon }", "environments.yml:5: 'database.lock-timeout' is 'soon', which is not a positive duration; use a whole number with a unit, such as 500ms, 30s, 2m or 1h.")]
    [InlineData("database: { provider: sqlite, lock-timeout: 0s }", "environments.yml:5: 'database.lock-timeout' is '0s', which is not a positive duration")]
    public void A_wrong_database_field_is_one_line_naming_file_line_and_field(string field, string expected)
    {
        var error = Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse("environments.yml", Yaml(field, "database: {}")));

        error.Message.ShouldStartWith(expected);
        error.Message.ShouldNotContain("hunter2");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void A_database_on_a_target_that_deploys_no_package_is_refused_when_the_file_is_read()
    {
        var yaml = "environments:\n  - name: dev\n    target: docker\n    artifact: Shop\n    port: 5080\n    database: { provider: sqlite }\n";

        var error = Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse("environments.yml", yaml));

        error.Message.ShouldBe("environments.yml:6: 'database' needs the migration scripts in the release's package, and target 'docker' deploys no package; remove 'database:' or use a target that does: hosts, local.");
    }

    private static string Yaml(string dev, string prod) => $"""
        environments:
          - name: dev
            artifact: Shop
            port: 5080
            {dev}
          - name: prod
            artifact: Shop
            port: 5081
            {prod}
        """;
}
