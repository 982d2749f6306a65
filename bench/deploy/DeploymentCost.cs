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
    /// The phases of the deployment that ran from <paramref name="start"/> to <paramref name="end"/>, from the log lines
    /// written in between: each as its wall time in seconds, the CPU milliseconds the deployer spent in it (the bench
    /// process's: the load runs in a process of its own) and the requests per second answered in it
    /// (<paramref name="answeredBetween"/> the phase's two timestamps): <c>fetch+unpack 0.31/40/3100 start 0.05/12/2900 …</c>.
    /// What followed the last phase (pruning, the ledger) is <c>rest</c>.
    /// </summary>
    public static string PhasesOf(IReadOnlyList<LogEntry> log, LogEntry start, LogEntry end, Func<long, long, int> answeredBetween)
    {
        var lines = log.Where(entry => entry.At >= start.At && entry.At <= end.At).ToList();
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

            parts.Add(Phase(name, from, lines[found], answeredBetween(from.At, lines[found].At)));
            from = lines[found];
            index = found + 1;
        }

        parts.Add(Phase("rest", from, end, answeredBetween(from.At, end.At)));
        return string.Join("  ", parts);
    }

    /// <summary>A phase as wall seconds / deployer CPU ms / requests answered per second in it (which says whether the load lost its rate while the release started or after the switch).</summary>
    private static string Phase(string name, LogEntry from, LogEntry to, int answered)
    {
        var wall = Stopwatch.GetElapsedTime(from.At, to.At);
        var cpu = from.Cpu is { } before && to.Cpu is { } after ? (after - before).TotalMilliseconds : double.NaN;
        var rate = wall > TimeSpan.Zero ? answered / wall.TotalSeconds : double.NaN;
        return string.Create(CultureInfo.InvariantCulture, $"{name} {wall.TotalSeconds:0.00}/{cpu:0}/{rate:0}");
    }
}

/// <summary>A line of the deployment log with when it was written and the bench process's CPU time then.</summary>
/// <param name="At">A <see cref="Stopwatch"/> timestamp.</param>
/// <param name="Cpu">The bench process's CPU time at that moment; null without /proc.</param>
internal sealed record LogEntry(long At, TimeSpan? Cpu, string Line)
{
    /// <summary>An entry for now.</summary>
    public static LogEntry Now(string line) => new(Stopwatch.GetTimestamp(), DeploymentCost.Cpu("self"), line);
}
