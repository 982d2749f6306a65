using Microsoft.Data.Sqlite;

namespace Recipes.Deployment;

/// <summary>
/// The ledger file cannot be used: it is not a SQLite database, its pages are damaged, or it cannot be opened. The
/// message names the file and what to do; Stop and Status work without the ledger, from the state folder.
/// </summary>
internal sealed class DeploymentLedgerUnreadableException : RecipeException
{
    private const int Corrupt = 11; // SQLITE_CORRUPT: a valid header, damaged pages
    private const int NotADatabase = 26; // SQLITE_NOTADB: no SQLite header at all

    private DeploymentLedgerUnreadableException(string path, string message, Exception inner) : base(message, inner) => DatabasePath = path;

    /// <summary>The ledger file.</summary>
    public string DatabasePath { get; }

    /// <summary>What went wrong with <paramref name="path"/>, in one line that says what to do about it.</summary>
    public static DeploymentLedgerUnreadableException From(string path, Exception failure)
    {
        var reason = failure is SqliteException sqlite ? ReasonOf(sqlite) : failure.Message.TrimEnd('.');
        var message = failure is SqliteException { SqliteErrorCode: Corrupt or NotADatabase }
            ? $"The deployment ledger {path} is damaged ({reason}); move it aside (mv {path} {path}.damaged) and restore a backup, " +
              "or let the next deployment start a new one; running releases keep running, and Stop and Status work without it."
            : $"Cannot open the deployment ledger {path}: {reason}; check that the path is a writable folder and the file is a ledger (or remove it).";
        return new DeploymentLedgerUnreadableException(path, message, failure);
    }

    /// <summary>SQLite's own words ("database disk image is malformed"), without the "SQLite Error 11: '…'." wrapping.</summary>
    private static string ReasonOf(SqliteException exception)
    {
        var text = exception.Message.TrimEnd('.');
        var quote = text.IndexOf('\'', StringComparison.Ordinal);
        return quote >= 0 && text.EndsWith('\'') && text.Length > quote + 1 ? text[(quote + 1)..^1] : text;
    }
}
