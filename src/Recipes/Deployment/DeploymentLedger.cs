using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Recipes.Deployment;

/// <summary>
/// The record of every deployment and release, one row each, in a SQLite file: it drives History, Rollback,
/// deployment locks and delivery metrics. Several processes may use one file at once (WAL journal, busy timeout);
/// each call opens its own short-lived connection, so an instance holds no file handle between calls.
/// </summary>
public sealed partial class DeploymentLedger
{
    /// <summary>The ledger's file name in the state folder.</summary>
    internal const string FileName = "ledger.db";

    private const int SchemaVersion = 1;

    private readonly string _connectionString;
    private readonly int _processId;
    private readonly Func<int, bool> _isProcessAlive;
    private readonly TimeProvider _clock;

    private DeploymentLedger(string databasePath, int processId, Func<int, bool> isProcessAlive, TimeProvider clock)
    {
        DatabasePath = databasePath;
        _processId = processId;
        _isProcessAlive = isProcessAlive;
        _clock = clock;
        // No pooling: a pooled connection keeps the file open after the ledger is done with it, which stops other
        // tools (and test clean-up) from moving or deleting it; a deployment makes a handful of calls, so it costs nothing.
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The SQLite file.</summary>
    public string DatabasePath { get; }

    /// <summary>Opens the ledger at <paramref name="databasePath"/>, creating the file, its folder and its tables when missing.</summary>
    /// <exception cref="RecipeException">The file cannot be created or is not a ledger (then the message names it and what to do).</exception>
    public static DeploymentLedger Open(string databasePath) =>
        Open(databasePath, Environment.ProcessId, ProcessProbe.IsAlive, TimeProvider.System);

    /// <summary>Opens the ledger as if from process <paramref name="processId"/>, with the given liveness check and clock (tests).</summary>
    internal static DeploymentLedger Open(string databasePath, int processId, Func<int, bool> isProcessAlive, TimeProvider clock)
    {
        var fullPath = Path.GetFullPath(databasePath);
        try
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            CreatePrivately(fullPath);
            var ledger = new DeploymentLedger(fullPath, processId, isProcessAlive, clock);
            ledger.CreateSchema();
            return ledger;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw DeploymentLedgerUnreadableException.From(fullPath, exception);
        }
    }

    /// <summary>
    /// Creates the database file 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database's
    /// mode), and takes group and other permissions off the files of a ledger an older version created.
    /// </summary>
    private static void CreatePrivately(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            try
            {
                using var created = new FileStream(databasePath, PrivateFiles.CreateNew());
            }
            catch (IOException) when (File.Exists(databasePath))
            {
                // Another process created it first.
            }
        }

        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            PrivateFiles.Restrict(databasePath + suffix);
        }
    }

    /// <summary>Records the start of a deployment and returns its id; the row's outcome is <see cref="DeploymentOutcome.Running"/>.</summary>
    public long Begin(DeploymentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Use(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO deployments (environment, artifact, version, digest, commit_sha, strategy, kind, started, outcome, who, details)
                VALUES ($environment, $artifact, $version, $digest, $commit, $strategy, $kind, $started, $outcome, $who, $details)
                RETURNING id;
                """;
            command.Parameters.AddWithValue("$environment", record.Environment);
            command.Parameters.AddWithValue("$artifact", record.Artifact);
            command.Parameters.AddWithValue("$version", record.Version);
            command.Parameters.AddWithValue("$digest", record.Digest);
            command.Parameters.AddWithValue("$commit", record.Commit);
            command.Parameters.AddWithValue("$strategy", record.Strategy);
            command.Parameters.AddWithValue("$kind", record.Kind.ToString());
            command.Parameters.AddWithValue("$started", Text(record.Started == default ? _clock.GetUtcNow() : record.Started));
            command.Parameters.AddWithValue("$outcome", DeploymentOutcome.Running.ToString());
            command.Parameters.AddWithValue("$who", record.Who);
            command.Parameters.AddWithValue("$details", (object?)record.Details ?? DBNull.Value);
            return (long)command.ExecuteScalar()!;
        });
    }

    /// <summary>
    /// Records how deployment <paramref name="id"/> ended. A running row may end in any outcome; a succeeded row may
    /// later become <see cref="DeploymentOutcome.RolledBack"/> when a rollback undoes it.
    /// </summary>
    /// <exception cref="RecipeException">There is no such row, or it already ended in a way that cannot change to <paramref name="outcome"/>.</exception>
    public void Complete(long id, DeploymentOutcome outcome, string? details = null)
    {
        if (outcome == DeploymentOutcome.Running)
        {
            throw new ArgumentException("A deployment completes as Succeeded, Failed or RolledBack, not Running.", nameof(outcome));
        }

        Use(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE deployments SET outcome = $outcome, ended = COALESCE(ended, $ended), details = COALESCE($details, details)
                WHERE id = $id AND (outcome = 'Running' OR (outcome = 'Succeeded' AND $outcome = 'RolledBack'));
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$outcome", outcome.ToString());
            command.Parameters.AddWithValue("$ended", Text(_clock.GetUtcNow()));
            command.Parameters.AddWithValue("$details", (object?)details ?? DBNull.Value);
            if (command.ExecuteNonQuery() == 0)
            {
                var existing = Find(connection, id);
                throw new RecipeException(existing is null
                    ? $"Deployment {id} is not in the ledger {DatabasePath}; complete the id that Begin returned."
                    : $"Deployment {id} already ended as {existing.Outcome}; only a running deployment can end, and only a succeeded one can become RolledBack.");
            }

            return true;
        });
    }

    /// <summary>Records the strategy row <paramref name="id"/> ran by, when it is not the environment's (a first deployment runs none).</summary>
    internal void RecordStrategy(long id, string strategy)
    {
        Use(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE deployments SET strategy = $strategy WHERE id = $id;";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$strategy", strategy);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>The newest <paramref name="limit"/> rows of <paramref name="environment"/>, newest first.</summary>
    public IReadOnlyList<DeploymentRecord> History(string environment, int limit = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Query("WHERE environment = $environment ORDER BY id DESC LIMIT $limit", ("$environment", environment), ("$limit", limit));
    }

    /// <summary>What serves <paramref name="environment"/> now: its newest succeeded row of any kind (a rollback included), or null.</summary>
    public DeploymentRecord? Live(string environment) =>
        Query("WHERE environment = $environment AND outcome = 'Succeeded' ORDER BY id DESC LIMIT 1", ("$environment", environment)).FirstOrDefault();

    /// <summary>The newest succeeded forward move (deploy, release or promote; not a rollback) to <paramref name="environment"/>, or null.</summary>
    public DeploymentRecord? LastSucceeded(string environment) =>
        Query("WHERE environment = $environment AND outcome = 'Succeeded' AND kind <> 'Rollback' ORDER BY id DESC LIMIT 1", ("$environment", environment)).FirstOrDefault();

    /// <summary>
    /// The rollback target: the newest succeeded forward move before the live one with another version, or null. Rows
    /// marked <see cref="DeploymentOutcome.RolledBack"/> never qualify, so successive rollbacks walk further back.
    /// </summary>
    public DeploymentRecord? PreviousSucceeded(string environment)
    {
        var live = Live(environment);
        return live is null
            ? null
            : Query("WHERE environment = $environment AND outcome = 'Succeeded' AND kind <> 'Rollback' AND id < $live AND version <> $version ORDER BY id DESC LIMIT 1",
                ("$environment", environment), ("$live", live.Id), ("$version", live.Version)).FirstOrDefault();
    }

    /// <summary>
    /// Ends every row of <paramref name="environment"/> still marked running as failed. Called by the holder of the
    /// environment's lock: any running row then belongs to a deployment whose process died (killed, machine restarted).
    /// </summary>
    /// <returns>How many rows were ended.</returns>
    internal int AbandonRunning(string environment, string details)
    {
        return Use(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE deployments SET outcome = 'Failed', ended = $ended, details = $details
                WHERE environment = $environment AND outcome = 'Running';
                """;
            command.Parameters.AddWithValue("$environment", environment);
            command.Parameters.AddWithValue("$ended", Text(_clock.GetUtcNow()));
            command.Parameters.AddWithValue("$details", details);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>
    /// Marks as rolled back the succeeded rows of <paramref name="environment"/> after <paramref name="afterId"/> that put
    /// <paramref name="version"/> live, so that no later rollback goes back to it.
    /// </summary>
    internal void MarkRolledBack(string environment, long afterId, string version)
    {
        Use(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE deployments SET outcome = 'RolledBack'
                WHERE environment = $environment AND id > $after AND version = $version AND outcome = 'Succeeded' AND kind IN ('Deploy', 'Promote', 'Rollback');
                """;
            command.Parameters.AddWithValue("$environment", environment);
            command.Parameters.AddWithValue("$after", afterId);
            command.Parameters.AddWithValue("$version", version);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>The digest and commit that an earlier row recorded for <paramref name="artifact"/> <paramref name="version"/>, in any environment.</summary>
    internal DeploymentRecord? FindVersion(string artifact, string version) =>
        Query("WHERE artifact = $artifact AND version = $version AND digest <> '' ORDER BY id DESC LIMIT 1", ("$artifact", artifact), ("$version", version)).FirstOrDefault();

    /// <summary>
    /// Runs <paramref name="work"/> on a new connection. Every SQLite failure (a damaged or foreign file) becomes one
    /// line naming the file and what to do, never a stack trace.
    /// </summary>
    private T Use<T>(Func<SqliteConnection, T> work)
    {
        try
        {
            using var connection = Connect();
            return work(connection);
        }
        catch (SqliteException exception)
        {
            throw DeploymentLedgerUnreadableException.From(DatabasePath, exception);
        }
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // Microsoft.Data.Sqlite retries a busy database for DefaultTimeout; SQLite's own wait covers the steps it runs itself.
        command.CommandText = "PRAGMA busy_timeout = 30000;";
        command.ExecuteNonQuery();
        return connection;
    }

    private void CreateSchema() => Use(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS deployments (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                environment TEXT NOT NULL, artifact TEXT NOT NULL, version TEXT NOT NULL, digest TEXT NOT NULL,
                commit_sha TEXT NOT NULL, strategy TEXT NOT NULL, kind TEXT NOT NULL,
                started TEXT NOT NULL, ended TEXT, outcome TEXT NOT NULL, who TEXT NOT NULL, details TEXT);
            CREATE INDEX IF NOT EXISTS deployments_by_environment ON deployments (environment, id);
            CREATE TABLE IF NOT EXISTS locks (
                environment TEXT PRIMARY KEY, holder TEXT NOT NULL, pid INTEGER NOT NULL, machine TEXT NOT NULL,
                since TEXT NOT NULL, token TEXT NOT NULL);
            PRAGMA user_version = {SchemaVersion};
            """;
        return command.ExecuteNonQuery();
    });

    private List<DeploymentRecord> Query(string where, params (string Name, object Value)[] parameters) =>
        Use(connection => Query(connection, where, parameters));

    private static DeploymentRecord? Find(SqliteConnection connection, long id) =>
        Query(connection, "WHERE id = $id", ("$id", id)).FirstOrDefault();

    private static List<DeploymentRecord> Query(SqliteConnection connection, string where, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, environment, artifact, version, digest, commit_sha, strategy, kind, started, ended, outcome, who, details FROM deployments " + where;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var records = new List<DeploymentRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            records.Add(new DeploymentRecord(
                reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
                Enum.Parse<DeploymentKind>(reader.GetString(7)), reader.GetString(11))
            {
                Id = reader.GetInt64(0),
                Started = Time(reader.GetString(8)),
                Ended = reader.IsDBNull(9) ? null : Time(reader.GetString(9)),
                Outcome = Enum.Parse<DeploymentOutcome>(reader.GetString(10)),
                Details = reader.IsDBNull(12) ? null : reader.GetString(12),
            });
        }

        return records;
    }

    private static string Text(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
