namespace Recipes.Deployment;

public sealed partial class DeploymentLedger
{
    /// <summary>
    /// Records that ledger row <paramref name="ledgerId"/>, deploying <paramref name="version"/>, applied migration
    /// <paramref name="script"/> to <paramref name="environment"/>'s database; the first release that applied it keeps it.
    /// </summary>
    internal void RecordSchemaScript(string environment, string script, string version, long ledgerId) => Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            {SchemaScriptsTable}
            INSERT OR IGNORE INTO schema_scripts (environment, script, version, ledger_id, applied)
            VALUES ($environment, $script, $version, $id, $applied);
            """;
        command.Parameters.AddWithValue("$environment", environment);
        command.Parameters.AddWithValue("$script", script);
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$id", ledgerId);
        command.Parameters.AddWithValue("$applied", Text(_clock.GetUtcNow()));
        return command.ExecuteNonQuery();
    });

    /// <summary>The version of the release that first applied <paramref name="script"/> to <paramref name="environment"/>'s database, or null.</summary>
    internal string? SchemaScriptVersion(string environment, string script) => Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            {SchemaScriptsTable}
            SELECT version FROM schema_scripts WHERE environment = $environment AND script = $script;
            """;
        command.Parameters.AddWithValue("$environment", environment);
        command.Parameters.AddWithValue("$script", script);
        return command.ExecuteScalar() as string;
    });

    /// <summary>Created on first use: a ledger of an older version gains it without a schema change of the rest.</summary>
    private const string SchemaScriptsTable = """
        CREATE TABLE IF NOT EXISTS schema_scripts (
            environment TEXT NOT NULL, script TEXT NOT NULL, version TEXT NOT NULL, ledger_id INTEGER NOT NULL, applied TEXT NOT NULL,
            PRIMARY KEY (environment, script));
        """;
}
