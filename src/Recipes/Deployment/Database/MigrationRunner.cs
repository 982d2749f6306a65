using System.Data.Common;
using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using DbUp.Engine.Output;
using Npgsql;

namespace Recipes.Deployment.Database;

/// <summary>
/// Runs migration scripts with DbUp on one environment's database: one transaction per script, journaled in
/// <see cref="JournalTable"/> (the script and its journal row commit together, so a killed run leaves either both or
/// neither). The connection string never reaches a message: every error text is masked with it and its password.
/// </summary>
internal sealed class MigrationRunner(DatabaseSettings settings, string connectionString, Action<string> log)
{
    /// <summary>The journal table, in the environment's database.</summary>
    public const string JournalTable = "recipes_schema_journal";

    private readonly SecretRedactor _redactor = new(connectionString, Password(settings, connectionString));

    /// <summary>The scripts of the journal (DbUp lists them by name).</summary>
    public IReadOnlyList<string> Applied() => Guard(() => Engine([]).GetExecutedScripts());

    /// <summary>Those of <paramref name="scripts"/> the journal does not have yet, in order.</summary>
    public IReadOnlyList<MigrationScript> Pending(IReadOnlyList<MigrationScript> scripts)
    {
        var applied = Applied().ToHashSet(StringComparer.Ordinal);
        return [.. scripts.Where(script => !applied.Contains(script.Name))];
    }

    /// <summary>Runs the pending ones of <paramref name="scripts"/> in order, stopping at the first that fails.</summary>
    /// <returns>The scripts that ran, and the failure (whose transaction was rolled back) or null.</returns>
    public (IReadOnlyList<string> Ran, MigrationFailure? Failure) Run(IReadOnlyList<MigrationScript> scripts)
    {
        var ran = new List<string>();
        var engine = Engine(scripts);
        engine.ScriptExecuted += (_, executed) => ran.Add(((ScriptExecutedEventArgs)executed).Script.Name);
        var result = Guard(engine.PerformUpgrade);
        if (result.Successful)
        {
            return (ran, null);
        }

        // DbUp names the script it was running; a failure before any script (no connection) has none, and neither has
        // a lock wait in DbUp's own journal statements, which it makes before the next script, in that script's stead.
        var failure = MigrationFailure.From(result.ErrorScript?.Name ?? "(before any script: the database could not be reached)",
            result.Error, result.ErrorScript?.Contents, settings.LockTimeout, Mask);
        return result.ErrorScript is null && failure.WaitedForLock && scripts.FirstOrDefault(script => !ran.Contains(script.Name)) is { } next
            ? (ran, failure with { Script = next.Name })
            : (ran, failure);
    }

    /// <summary>Masks the connection string and its password in <paramref name="text"/>.</summary>
    public string Mask(string text) => _redactor.Redact(text);

    private UpgradeEngine Engine(IEnumerable<MigrationScript> scripts)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            Guard(UseWriteAheadLog);
        }

        var to = DeployChanges.To;
        UpgradeEngineBuilder builder = settings.Provider == DatabaseProvider.Sqlite
            // A script waits for another connection's write lock this long (SQLite's busy timeout, whole seconds).
            ? to.SqliteDatabase(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = (int)Math.Ceiling(settings.LockTimeout.TotalSeconds) }.ToString())
                .JournalToSqliteTable(JournalTable)
            : to.PostgresqlDatabase(connectionString).JournalToPostgresqlTable("public", JournalTable)
                .WithPreprocessor(new LockTimeoutFirst(settings.LockTimeout))
                // Past the lock timeout, so that a lock wait ends as one (55P03) rather than as the client's command timeout.
                .WithExecutionTimeout(settings.LockTimeout + TimeSpan.FromSeconds(30));
        return builder
            .WithScripts(scripts.Select(script => new SqlScript(script.Name, script.Sql)))
            // Scripts run in the order given (phase, then name), not DbUp's own sort.
            .WithScriptSorter(given => given)
            .WithTransactionPerScript()
            // $name$ is SQL here (PostgreSQL's dollar quoting), not a DbUp variable.
            .WithVariablesDisabled()
            .LogTo(new Log(line => log(Mask(line))))
            .Build();
    }

    /// <summary>
    /// Two releases share the database during every switch. In SQLite's default rollback journal a reader of one
    /// blocks the other's commit, and a busy commit (an INSERT … RETURNING's) fails at once with "database is locked";
    /// in WAL mode, which the file keeps, readers never block the writer. Idempotent.
    /// </summary>
    private bool UseWriteAheadLog()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        if (string.Equals(command.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        log($"The sqlite database is now in {mode} journal mode, so one release's readers never block the other's writes during a switch");
        return true;
    }

    /// <summary>A connection failure (a wrong host, a refused login) as one masked line.</summary>
    private T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or ArgumentException)
        {
            // DbUp reads its journal in a transaction of its own, which on SQLite waits for the write lock like a script.
            var failure = MigrationFailure.From("the migration journal", exception, null, settings.LockTimeout, Mask);
            throw new RecipeException(failure.WaitedForLock
                ? $"Reading the {settings.ProviderName} migration journal {failure.Reason}, so no script ran; another session holds that lock: run again once it is gone."
                : $"The {settings.ProviderName} database cannot be used: {failure.Reason}");
        }
    }

    private static string? Password(DatabaseSettings settings, string connectionString)
    {
        try
        {
            return settings.Provider == DatabaseProvider.Postgresql ? new NpgsqlConnectionStringBuilder(connectionString).Password : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Each PostgreSQL script starts with <c>SET LOCAL lock_timeout</c>: its transaction waits that long for a lock (an
    /// ALTER behind a long read of the live release), then rolls back, instead of queueing every later query behind it.
    /// On the script's first line, so that the script's own line numbers stay as written.
    /// </summary>
    private sealed class LockTimeoutFirst(TimeSpan timeout) : IScriptPreprocessor
    {
        public string Process(string contents) =>
            $"SET LOCAL lock_timeout = '{(long)timeout.TotalMilliseconds}ms'; {contents}";
    }

    /// <summary>DbUp's progress lines, information and above, to the build's log.</summary>
    private sealed class Log(Action<string> write) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args)
        {
        }

        public void LogDebug(string format, params object[] args)
        {
        }

        public void LogInformation(string format, params object[] args) => write(Format(format, args));

        public void LogWarning(string format, params object[] args) => write(Format(format, args));

        public void LogError(string format, params object[] args) => write(Format(format, args));

        public void LogError(Exception ex, string format, params object[] args) => write(Format(format, args));

        private static string Format(string format, object[] args) =>
            args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
    }
}
