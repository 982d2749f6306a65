namespace Recipes.Insight;

/// <summary>The performance levels of DORA's 2024 Accelerate State of DevOps report.</summary>
internal enum DoraLevel
{
    Low,
    Medium,
    High,
    Elite,
}

/// <summary>
/// Which 2024 level one figure falls in. The report describes each cluster (elite, high, medium, low) rather than
/// giving bounds per key, so the bounds below are the cluster descriptions read as bands; the README lists them.
/// </summary>
internal static class DoraLevels
{
    /// <summary>Elite: on demand (at least daily); high: daily to weekly; medium: weekly to monthly; low: less often.</summary>
    public static DoraLevel Frequency(double deploymentsPerDay) =>
        deploymentsPerDay >= 1 ? DoraLevel.Elite
        : deploymentsPerDay >= 1.0 / 7 ? DoraLevel.High
        : deploymentsPerDay >= 1.0 / 30 ? DoraLevel.Medium
        : DoraLevel.Low;

    /// <summary>Elite: under a day; high: under a week; medium: under a month; low: longer.</summary>
    public static DoraLevel LeadTime(TimeSpan median) =>
        median < TimeSpan.FromDays(1) ? DoraLevel.Elite
        : median < TimeSpan.FromDays(7) ? DoraLevel.High
        : median < TimeSpan.FromDays(30) ? DoraLevel.Medium
        : DoraLevel.Low;

    /// <summary>
    /// The clusters' rates are 5% (elite), 20% (high), 10% (medium) and 40% (low); read as a scale: up to 5% elite,
    /// up to 20% high, under 40% medium, 40% and more low.
    /// </summary>
    public static DoraLevel ChangeFailureRate(double rate) =>
        rate <= 0.05 ? DoraLevel.Elite
        : rate <= 0.20 ? DoraLevel.High
        : rate < 0.40 ? DoraLevel.Medium
        : DoraLevel.Low;

    /// <summary>Elite: under an hour; high and medium: under a day (we call under a week medium); low: longer.</summary>
    public static DoraLevel RecoveryTime(TimeSpan median) =>
        median < TimeSpan.FromHours(1) ? DoraLevel.Elite
        : median < TimeSpan.FromDays(1) ? DoraLevel.High
        : median < TimeSpan.FromDays(7) ? DoraLevel.Medium
        : DoraLevel.Low;
}
