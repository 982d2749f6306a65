using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Where a deployment's time and CPU go, for bench/deploy's per-run lines: CPU time of a process from
/// <c>/proc/&lt;pid&gt;/stat</c>, and the wall time of the deployment's phases from the times its log lines were written.
/// </summary>
internal static class DeploymentCost
{
    /// <summary>/proc counts CPU time in USER_HZ ticks, which Linux fixes at 100 per second whatever the kernel's HZ.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>
    /// The phases, each ending at the first log line (after the previous phase's) that holds its marker; a phase whose
    /// line never came (such as the stop of the old release with a grace period) is left out.
    /// </summary>
    private static readonly (string Name, string Marker)[] Phases =
    [
        ("fetch+unpack", "is unpacked, read-only"),
        ("start", "; waiting for GET"),
        ("healthy", " healthy in slot "),
        ("smoke", "smoke check(s) passed on slot"),
        ("switch", "switched "),
        ("public smoke", "smoke check(s) passed on the public port"),
        ("stop old", "Stopped "),
    ];

    /// <summary>User plus system CPU time <paramref name="pid"/> has used (<c>self</c> for this process), or null once it is gone.</summary>
    public static TimeSpan? Cpu(string pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>
    /// The phases of the deployment that ran from <paramref name="start"/> to <paramref name="end"/> (<see cref="Stopwatch"/>
    /// timestamps), in seconds, from the log lines written in between: <c>fetch+unpack 0.31 start 0.05 …</c>; what
    /// followed the last phase (pruning, the ledger) is <c>rest</c>.
    /// </summary>
    public static string PhasesOf(IReadOnlyList<(long At, string Line)> log, long start, long end)
    {
        var lines = log.Where(entry => entry.At >= start && entry.At <= end).ToList();
        var parts = new List<string>();
        var from = start;
        var index = 0;
        foreach (var (name, marker) in Phases)
        {
            var found = lines.FindIndex(index, entry => entry.Line.Contains(marker, StringComparison.Ordinal));
            if (found < 0)
            {
                continue;
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {Stopwatch.GetElapsedTime(from, lines[found].At).TotalSeconds:0.00}"));
            from = lines[found].At;
            index = found + 1;
        }

        parts.Add(string.Create(CultureInfo.InvariantCulture, $"rest {Stopwatch.GetElapsedTime(from, end).TotalSeconds:0.00}"));
        return string.Join("  ", parts);
    }
}
