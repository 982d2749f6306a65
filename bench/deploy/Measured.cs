/// <summary>What one window of load saw.</summary>
/// <param name="Length">The window's length.</param>
/// <param name="Apply">The router's apply time: the switch's, or the baseline's re-apply.</param>
/// <param name="From">The version live when the window started.</param>
/// <param name="To">The version live when it ended (the same for a baseline).</param>
/// <param name="SwitchSent">When, on the window's clock, the deployment sent the route change to the router; null for a baseline.</param>
/// <param name="Deploy">How long the whole deployment call took (fetch, start, health check, switch, stop of the old); zero for a baseline.</param>
internal sealed record Measured(IReadOnlyList<Answer> Answers, TimeSpan Length, TimeSpan Apply, string From, string To, TimeSpan? SwitchSent, TimeSpan Deploy)
{
    /// <summary>The CPU time the bench process (the deployer during a switch; the re-apply in a baseline) used in the window; null without /proc.</summary>
    public TimeSpan? BenchCpu { get; init; }

    /// <summary>The CPU time the load's own process used in the window; null without /proc.</summary>
    public TimeSpan? LoadCpu { get; init; }

    /// <summary>The CPU time the new release's process had used by the window's end (local target only); null otherwise.</summary>
    public TimeSpan? ReleaseCpu { get; init; }

    /// <summary>The wall time of the deployment's phases, from its log lines; null for a baseline.</summary>
    public string? Phases { get; init; }

    /// <summary>When, on the window's clock, the deployment ended; null for a baseline.</summary>
    public TimeSpan? DeploymentEnded { get; init; }

    /// <summary>
    /// Answers per second from the window's start to <see cref="DeployBench.Tail"/> after the deployment ended: the
    /// tightest window around a deployment, in which a quick one's cost weighs most; the whole window's rate for a baseline.
    /// </summary>
    public double RequestsPerSecondUntilTail => DeploymentEnded is { } ended && ended + DeployBench.Tail < Length
        ? Answers.Count(a => a.Ended < ended + DeployBench.Tail) / (ended + DeployBench.Tail).TotalSeconds
        : RequestsPerSecond;

    public int Failed => Answers.Count(a => a.Failure is not null);

    /// <summary>Answers per second of the window (requests the window's end cut short are not counted).</summary>
    public double RequestsPerSecond => Answers.Count / Length.TotalSeconds;

    /// <summary>The longest time between two consecutive answers: how long a client waited for anything at worst.</summary>
    public TimeSpan LongestWait
    {
        get
        {
            var ends = Answers.Select(a => a.Ended).Order().ToList();
            return ends.Zip(ends.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();
        }
    }

    /// <summary>From the last answer of the old version to the first of the new one; negative when they overlapped. Null for a baseline.</summary>
    public TimeSpan? Gap => From == To ? null
        : FirstOfNew - Answers.Where(a => a.Version == From).Max(a => a.Ended);

    /// <summary>The switch time: from the route change sent to the router (the blue-green PUT) to the first answer of the new release. Null for a baseline.</summary>
    public TimeSpan? SwitchTime => SwitchSent is { } sent ? FirstOfNew - sent : null;

    private TimeSpan FirstOfNew => Answers.Where(a => a.Version == To).Min(a => a.Ended);
}
