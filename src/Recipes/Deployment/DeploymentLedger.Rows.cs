namespace Recipes.Deployment;

public sealed partial class DeploymentLedger
{
    /// <summary>Every row of <paramref name="environment"/>, oldest first: the history delivery metrics are computed from.</summary>
    internal IReadOnlyList<DeploymentRecord> All(string environment) =>
        Query("WHERE environment = $environment ORDER BY id", ("$environment", environment));

    /// <summary>The environments the ledger has rows for, by name.</summary>
    internal IReadOnlyList<string> Environments() => Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT environment FROM deployments ORDER BY environment;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    });
}
