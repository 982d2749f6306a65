using System.Globalization;

namespace Recipes.Router;

/// <summary>Which program listens on a TCP port, from /proc (Linux, and only for processes this user may look into).</summary>
internal static class PortHolder
{
    private const string Listening = "0A";

    /// <summary>Such as <c>pid 1234 (nginx -g daemon off;)</c>, or null when /proc does not tell.</summary>
    public static string? Describe(int port)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var sockets = ListeningSockets("/proc/net/tcp", port).Concat(ListeningSockets("/proc/net/tcp6", port)).Select(inode => $"socket:[{inode}]").ToHashSet(StringComparer.Ordinal);
            return sockets.Count == 0 ? null : Owner(sockets);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The inodes of sockets listening on <paramref name="port"/> in a /proc/net/tcp table.</summary>
    private static IEnumerable<string> ListeningSockets(string table, int port)
    {
        if (!File.Exists(table))
        {
            yield break;
        }

        // Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length > 9 && columns[3] == Listening
                && int.TryParse(columns[1][(columns[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var local) && local == port)
            {
                yield return columns[9];
            }
        }
    }

    private static string? Owner(HashSet<string> sockets)
    {
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (Directory.EnumerateFiles(Path.Combine(process, "fd")).Any(fd => new FileInfo(fd).LinkTarget is { } target && sockets.Contains(target)))
                {
                    var commandLine = string.Join(' ', File.ReadAllText(Path.Combine(process, "cmdline")).Split(['\0', '\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
                    return $"pid {pid} ({(commandLine.Length > 80 ? commandLine[..80] + "…" : commandLine)})";
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's: keep looking.
            }
        }

        return null;
    }
}
