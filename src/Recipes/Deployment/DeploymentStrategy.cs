namespace Recipes.Deployment;

/// <summary>How a new version replaces the live one in an environment; one derived record per kind.</summary>
public abstract record DeploymentStrategy
{
    /// <summary>The kind as written in the environments file (<c>in-place</c>, <c>blue-green</c>, ...).</summary>
    public abstract string Kind { get; }
}

/// <summary>Phoenix in place: stop the live release, start the new one in a fresh folder. Brief downtime; the simplest.</summary>
public sealed record InPlaceStrategy : DeploymentStrategy
{
    /// <summary>The kind's name in the environments file.</summary>
    public const string Name = "in-place";

    /// <inheritdoc />
    public override string Kind => Name;
}

/// <summary>Start the idle slot, check it, switch the router atomically, keep the old slot warm for instant rollback.</summary>
/// <param name="GracePeriod">How long the old slot stays warm after the switch before it is stopped.</param>
public sealed record BlueGreenStrategy(TimeSpan GracePeriod) : DeploymentStrategy
{
    /// <summary>The kind's name in the environments file.</summary>
    public const string Name = "blue-green";

    /// <summary>The grace period when the file gives none.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>The longest <see cref="SlowStart"/> the file may ask for: longer is a canary without its checks.</summary>
    internal static readonly TimeSpan MaxSlowStart = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Zero (the default) switches all traffic at once. Otherwise the new release's share of the traffic grows in
    /// steps over this time before the switch (Envoy's and AWS ALB's slow start): a .NET release that has just become
    /// healthy still runs unoptimised code for its first seconds of traffic (tiered compilation recompiles what is hot),
    /// and the old release, already optimised, carries most requests meanwhile.
    /// </summary>
    public TimeSpan SlowStart { get; init; }

    /// <inheritdoc />
    public override string Kind => Name;
}

/// <summary>Shift traffic to the new version in weighted steps, comparing its error rate and latency with the old between steps.</summary>
/// <param name="Steps">The percentages of traffic the new version gets, strictly increasing and ending at 100.</param>
/// <param name="Pause">How long each step runs before it is analysed.</param>
/// <param name="MaxErrorRate">The highest share of failed requests (0 to 1) that the new version may show; above it the canary aborts.</param>
/// <param name="MaxP95Ratio">The highest ratio of the new version's 95th-percentile latency to the old one's; above it the canary aborts.</param>
public sealed record CanaryStrategy(IReadOnlyList<int> Steps, TimeSpan Pause, double MaxErrorRate, double MaxP95Ratio) : DeploymentStrategy
{
    /// <summary>The fewest requests the canary must answer in each step; fewer means nothing could be compared, and the
    /// canary is aborted as inconclusive (no data is not a pass).</summary>
    public int MinRequests { get; init; } = DefaultMinRequests;

    /// <summary>
    /// The canary p95 latency, in milliseconds, at or below which its ratio to the stable one's is not held against it:
    /// on loopback both are a few milliseconds, where 1 ms against 3 ms is noise, not a regression.
    /// </summary>
    public double P95FloorMs { get; init; } = DefaultP95FloorMs;

    /// <summary>Synthetic requests the deployment sends to the canary through the router during each step, which count
    /// as its traffic; null when only users' requests count.</summary>
    public CanaryProbe? Probe { get; init; }

    /// <summary>The kind's name in the environments file.</summary>
    public const string Name = "canary";

    /// <summary>The steps when the file gives none.</summary>
    public static readonly IReadOnlyList<int> DefaultSteps = [10, 50, 100];

    /// <summary>The pause when the file gives none.</summary>
    public static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(30);

    /// <summary>The error-rate limit when the file gives none.</summary>
    public const double DefaultMaxErrorRate = 0.05;

    /// <summary>The latency-ratio limit when the file gives none.</summary>
    public const double DefaultMaxP95Ratio = 1.5;

    /// <summary>The latency floor, in milliseconds, when the file gives none.</summary>
    public const double DefaultP95FloorMs = 25;

    /// <summary>The minimum of requests per step when the file gives none.</summary>
    public const int DefaultMinRequests = 50;

    /// <inheritdoc />
    public override string Kind => Name;
}

/// <summary>
/// Smoke requests that a canary deployment sends through the environment's router to the canary alone, at a steady
/// rate, so that a step is judged even when users send little or nothing.
/// </summary>
/// <param name="Path">The request path; null for the environment's smoke check paths in turn (its health path when it has none).</param>
/// <param name="RequestsPerSecond">How many requests a second, at most.</param>
public sealed record CanaryProbe(string? Path, int RequestsPerSecond)
{
    /// <summary>The rate when the file gives none.</summary>
    public const int DefaultRequestsPerSecond = 10;
}

/// <summary>Mirror idempotent requests to the new version while users see only the old, then compare the two.</summary>
/// <param name="Duration">How long traffic is mirrored before the new version is judged.</param>
/// <param name="Percentage">The share of idempotent requests (0 to 100) that are mirrored.</param>
/// <param name="MaxErrorRate">The highest share of failed mirrored requests (0 to 1) that the new version may show.</param>
public sealed record DarkLaunchStrategy(TimeSpan Duration, int Percentage, double MaxErrorRate) : DeploymentStrategy
{
    /// <summary>The kind's name in the environments file.</summary>
    public const string Name = "dark-launch";

    /// <summary>The mirroring duration when the file gives none.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(5);

    /// <summary>The mirrored share when the file gives none.</summary>
    public const int DefaultPercentage = 100;

    /// <summary>The error-rate limit when the file gives none.</summary>
    public const double DefaultMaxErrorRate = 0.05;

    /// <inheritdoc />
    public override string Kind => Name;
}

/// <summary>
/// Across a fleet (target hosts): batches of hosts in turn are drained from the balancer, switched to the new release,
/// health-checked and put back, with a pause between batches; the other hosts serve meanwhile.
/// </summary>
/// <param name="Batch">How many hosts are switched at a time; fewer than the fleet's hosts.</param>
/// <param name="Pause">How long the next batch waits after one is put back.</param>
internal sealed record RollingStrategy(int Batch, TimeSpan Pause) : DeploymentStrategy
{
    /// <summary>The kind's name in the environments file.</summary>
    public const string Name = "rolling";

    /// <inheritdoc />
    public override string Kind => Name;
}
