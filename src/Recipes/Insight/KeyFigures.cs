namespace Recipes.Insight;

/// <summary>The period metrics are computed over: from <see cref="From"/> (inclusive) to <see cref="To"/>.</summary>
internal sealed record MetricsPeriod(DateTimeOffset From, DateTimeOffset To)
{
    public TimeSpan Length => To - From;

    /// <summary>The period of the same length just before this one, for the trend.</summary>
    public MetricsPeriod Previous => new(From - Length, From);

    public bool Contains(DateTimeOffset time) => time >= From && time < To;
}

/// <summary>The four keys of one environment over one period.</summary>
/// <param name="Period">The period the figures cover.</param>
/// <param name="Deployments">Deployments and promotions that ended (N of the change failure rate).</param>
/// <param name="Successful">Those that went live (later rolled back included): the deployment frequency.</param>
/// <param name="Failed">Those that failed, were rolled back, or were followed by a rollback (n of the change failure rate).</param>
/// <param name="LeadTimes">Commit to deployment, one per commit the period's deployments brought.</param>
/// <param name="Recoveries">From the first failure of an outage to the next deployment or rollback that stayed.</param>
/// <param name="Unrecovered">Outages that began in the period and have not ended.</param>
/// <param name="Problems">What could not be computed, and why.</param>
internal sealed record KeyFigures(
    MetricsPeriod Period,
    int Deployments,
    int Successful,
    int Failed,
    IReadOnlyList<TimeSpan> LeadTimes,
    IReadOnlyList<TimeSpan> Recoveries,
    int Unrecovered,
    IReadOnlyList<string> Problems)
{
    public double DeploymentsPerDay => Successful / Period.Length.TotalDays;

    public double? ChangeFailureRate => Deployments == 0 ? null : (double)Failed / Deployments;

    public TimeSpan? LeadTimeMedian => Percentiles.Median(LeadTimes);

    public TimeSpan? LeadTimeP90 => Percentiles.NearestRank(LeadTimes, 0.9);

    public TimeSpan? RecoveryMedian => Percentiles.Median(Recoveries);

    public DoraLevel FrequencyLevel => DoraLevels.Frequency(DeploymentsPerDay);

    public DoraLevel? LeadTimeLevel => LeadTimeMedian is { } median ? DoraLevels.LeadTime(median) : null;

    public DoraLevel? ChangeFailureLevel => ChangeFailureRate is { } rate ? DoraLevels.ChangeFailureRate(rate) : null;

    public DoraLevel? RecoveryLevel => RecoveryMedian is { } median ? DoraLevels.RecoveryTime(median) : null;
}

/// <summary>Median (the mean of the two middle values of an even count) and nearest-rank percentiles.</summary>
internal static class Percentiles
{
    public static TimeSpan? Median(IReadOnlyList<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The smallest value with at least <paramref name="share"/> of the values at or below it.</summary>
    public static TimeSpan? NearestRank(IReadOnlyList<TimeSpan> values, double share)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
