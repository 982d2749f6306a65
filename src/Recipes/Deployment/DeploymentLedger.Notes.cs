namespace Recipes.Deployment;

public sealed partial class DeploymentLedger
{
    /// <summary>
    /// Puts <paramref name="note"/> in front of row <paramref name="id"/>'s details, whatever its outcome: a row that
    /// ended can still learn why it was undone (the watch's figures), and its times stay as they were.
    /// </summary>
    internal void AddNote(long id, string note)
    {
        Use(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE deployments SET details = $note || COALESCE('; ' || details, '') WHERE id = $id;";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$note", note);
            return command.ExecuteNonQuery();
        });
    }
}
