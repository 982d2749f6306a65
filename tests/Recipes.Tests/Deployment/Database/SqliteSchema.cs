using Microsoft.Data.Sqlite;

namespace Recipes.Tests.Deployment.Database;

/// <summary>What a SQLite file's schema is, read without pooling so the file is free again at once.</summary>
internal static class SqliteSchema
{
    /// <summary>The columns of <paramref name="table"/> in the file at <paramref name="file"/>, in order; empty when there is no such table.</summary>
    public static List<string> Columns(string file, string table)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($table) ORDER BY cid;";
        command.Parameters.AddWithValue("$table", table);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
