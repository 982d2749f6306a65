using Microsoft.Data.Sqlite;
using Recipes.Deployment;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment;

/// <summary>A ledger file that is not a database, or whose pages are damaged, and the privacy of the files it creates.</summary>
public sealed class DeploymentLedgerDamageTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-ledger-damage");

    public void Dispose() => _temp.Dispose();

    private string DatabasePath => _temp.Combine("state", "ledger.db");

    /// <summary>
    /// A ledger with enough rows to fill several pages, checkpointed into the main file, whose pages after the first
    /// (the schema) are then overwritten: the SQLite header and schema are valid, the tables are not.
    /// </summary>
    internal static void WriteDamagedLedger(string databasePath)
    {
        var ledger = DeploymentLedger.Open(databasePath);
        for (var i = 0; i < 200; i++)
        {
            var id = ledger.Begin(new DeploymentRecord("dev", "Acme.Shop.Api", $"1.0.{i}", new string('a', 128), "0123456789abcdef", "blue-green", DeploymentKind.Deploy, "alice"));
            ledger.Complete(id, DeploymentOutcome.Succeeded, new string('x', 200));
        }

        using (var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;";
            command.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(databasePath);
        bytes.Length.ShouldBeGreaterThan(4096 * 4);
        for (var i = 4096; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        File.WriteAllBytes(databasePath, bytes);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_in_one_line_naming_it_and_what_to_do()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        File.WriteAllText(DatabasePath, new string('#', 10_000));

        var error = Should.Throw<RecipeException>(() => DeploymentLedger.Open(DatabasePath));

        error.Message.ShouldStartWith($"The deployment ledger {DatabasePath} is damaged (file is not a database); move it aside (mv {DatabasePath} {DatabasePath}.damaged)");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Damaged_pages_behind_a_valid_header_are_reported_in_one_line_naming_the_file_and_what_to_do()
    {
        WriteDamagedLedger(DatabasePath);

        var error = Should.Throw<RecipeException>(() => DeploymentLedger.Open(DatabasePath).History("dev"));

        error.Message.ShouldStartWith($"The deployment ledger {DatabasePath} is damaged (database disk image is malformed); move it aside");
        error.Message.ShouldContain("Stop and Status work without it");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void A_damaged_ledger_refuses_the_lock_with_the_same_line()
    {
        WriteDamagedLedger(DatabasePath);

        var error = Should.Throw<RecipeException>(() => DeploymentLedger.Open(DatabasePath).AcquireLock("dev", "alice", TimeSpan.Zero));

        error.Message.ShouldStartWith($"The deployment ledger {DatabasePath} is damaged");
    }

    [Fact]
    public void The_ledger_its_folder_and_its_journal_are_private_to_the_user()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var ledger = DeploymentLedger.Open(DatabasePath);
        // A lock held open keeps the WAL journal and its shared-memory index on disk while they are checked.
        using var reader = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        reader.Open();
        using (var begin = reader.CreateCommand())
        {
            begin.CommandText = "BEGIN; SELECT COUNT(*) FROM deployments;";
            begin.ExecuteScalar();
        }

        ledger.Begin(new DeploymentRecord("dev", "Acme.Shop.Api", "1.0.0", "abc", "0123456789abcdef", "blue-green", DeploymentKind.Deploy, "alice"));

        File.GetUnixFileMode(Path.GetDirectoryName(DatabasePath)!).ShouldBe(PrivateFiles.FolderMode);
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            File.Exists(file).ShouldBeTrue(file);
            File.GetUnixFileMode(file).ShouldBe(PrivateFiles.FileMode, file);
        }
    }

    [Fact]
    public void A_ledger_an_older_version_left_open_to_others_is_made_private_when_opened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        DeploymentLedger.Open(DatabasePath);
        File.SetUnixFileMode(DatabasePath, PrivateFiles.FileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        DeploymentLedger.Open(DatabasePath).History("dev").ShouldBeEmpty();

        File.GetUnixFileMode(DatabasePath).ShouldBe(PrivateFiles.FileMode);
    }
}
