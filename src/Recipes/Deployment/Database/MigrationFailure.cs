using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Recipes.Deployment.Database;

/// <summary>A script that failed; its transaction was rolled back, so the schema is as before it.</summary>
/// <param name="Script">The script's name, such as <c>expand/0003_index.sql</c>.</param>
/// <param name="Reason">The engine's error, with the connection string's secrets masked; for a lock wait, what it waited for.</param>
/// <param name="WaitedForLock">The script gave up waiting for a lock another session holds: nothing is wrong with it.</param>
internal sealed partial record MigrationFailure(string Script, string Reason, bool WaitedForLock = false)
{
    /// <summary>What happened to the script, for a sentence that starts with its name.</summary>
    public string Outcome => WaitedForLock
        ? $"{Reason} and was rolled back, so the schema is as before it"
        : $"failed and was rolled back, so the schema is as before it: {Reason}";

    /// <summary>What to do after a lock wait: the script is fine, the session holding the lock is what to wait for.</summary>
    public static string RetryAdvice(string environment, string retry) =>
        $"another session holds that lock: {retry} once it is gone (./build.sh --target=Migrations --environment={environment} lists what is pending)";

    /// <summary>
    /// The failure of <paramref name="script"/> from the engine's <paramref name="error"/>: a lock wait past the lock
    /// timeout (PostgreSQL's 55P03, SQLite's busy or locked after its busy timeout) says so, naming the table when the
    /// statement that waited names one.
    /// </summary>
    public static MigrationFailure From(string script, Exception? error, string? sql, TimeSpan lockTimeout, Func<string, string> mask)
    {
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            var waitedOn = cause switch
            {
                PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable } postgres =>
                    Relation(postgres.BatchCommand?.CommandText) ?? Relation(sql) ?? "a table it changes",
                // SQLite locks the whole file; Microsoft.Data.Sqlite waits whole seconds for it.
                SqliteException { SqliteErrorCode: 5 or 6 } => "the database file",
                _ => null,
            };
            if (waitedOn is not null)
            {
                var waited = cause is SqliteException ? TimeSpan.FromSeconds(Math.Ceiling(lockTimeout.TotalSeconds)) : lockTimeout;
                return new MigrationFailure(script, $"waited longer than {DurationText.Format(waited)} for a lock on {mask(waitedOn)}", WaitedForLock: true);
            }
        }

        return new MigrationFailure(script, mask(OneLine(error)));
    }

    /// <summary>
    /// The error as one line: PostgreSQL's code and message (Npgsql's Message adds lines such as "POSITION: 41", and
    /// its detail may quote the table's values), any other error's lines joined.
    /// </summary>
    private static string OneLine(Exception? error) => error switch
    {
        null => "failed",
        PostgresException postgres => $"{postgres.SqlState}: {postgres.MessageText}",
        _ => string.Join(" ", error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
    };

    /// <summary>The first table a statement of <paramref name="sql"/> locks, as written, or null.</summary>
    private static string? Relation(string? sql) =>
        sql is not null && LockingStatement().Match(sql) is { Success: true } match ? match.Groups["table"].Value : null;

    [GeneratedRegex(@"\b(?:ALTER\s+TABLE(?:\s+IF\s+EXISTS)?|LOCK(?:\s+TABLE)?|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|TRUNCATE(?:\s+TABLE)?|UPDATE|INSERT\s+INTO|DELETE\s+FROM|CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\s+)?ON|REFERENCES)(?:\s+ONLY)?\s+(?<table>""[^""]+""(?:\.""[^""]+"")?|[\w.]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LockingStatement();
}
