using System.Globalization;

namespace Recipes.Deployment;

/// <summary>
/// Renders ledger rows as an aligned text table, newest first, for <c>--target=History</c>: the same facts for every
/// target (the artifact's digest is the package's SHA-512 or the image's sha256, its first 12 hex digits shown).
/// </summary>
public static class HistoryTable
{
    private static readonly string[] Headings = ["#", "started (UTC)", "kind", "version", "digest", "strategy", "outcome", "took", "who", "commit", "details"];

    /// <summary>The table's lines: a heading and one line per row, or one line saying there is nothing yet.</summary>
    /// <param name="environment">The environment the rows belong to, for the empty case.</param>
    /// <param name="records">The rows, in the order to show them (<see cref="DeploymentLedger.History"/> gives newest first).</param>
    public static IReadOnlyList<string> Lines(string environment, IReadOnlyList<DeploymentRecord> records)
    {
        if (records.Count == 0)
        {
            return [$"No deployments to {environment} yet."];
        }

        var rows = records.Select(Cells).Prepend(Headings).ToList();
        var widths = Enumerable.Range(0, Headings.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        // The last column is free text and not padded, so lines carry no trailing blanks.
        return rows.Select(row => string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd()).ToList();
    }

    private static string[] Cells(DeploymentRecord record) =>
    [
        record.Id.ToString(CultureInfo.InvariantCulture),
        record.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        record.Kind.ToString().ToLowerInvariant(),
        record.Version,
        record.Digest.Length > 12 ? record.Digest[..12] : record.Digest,
        record.Strategy,
        record.Outcome.ToString(),
        record.Ended is { } ended ? Took(ended - record.Started) : "-",
        record.Who,
        record.Commit.Length > 7 ? record.Commit[..7] : record.Commit,
        record.Details ?? string.Empty,
    ];

    private static string Took(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1) ? $"{Math.Max(0, (long)duration.TotalMilliseconds)}ms"
        : duration < TimeSpan.FromMinutes(1) ? $"{(long)duration.TotalSeconds}s"
        : $"{(long)duration.TotalMinutes}m{duration.Seconds:00}s";
}
