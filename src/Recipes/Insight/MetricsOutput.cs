using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recipes.Insight;

/// <summary>The four keys of the period and the one before it, as a console table or as JSON for tools.</summary>
internal static class MetricsOutput
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static IReadOnlyList<string> Table(string environment, KeyFigures current, KeyFigures previous)
    {
        var rows = new List<string[]>
        {
            new[] { "Key", "This period", "DORA 2024", "Previous period", "Trend" },
            new[] { "Deployment frequency", Frequency(current), Level(current.FrequencyLevel), Frequency(previous), Trend(current.DeploymentsPerDay, previous.DeploymentsPerDay, higherIsBetter: true) },
            new[] { "Lead time for changes", LeadTime(current), Level(current.LeadTimeLevel), LeadTime(previous), Trend(current.LeadTimeMedian, previous.LeadTimeMedian) },
            new[] { "Change failure rate", FailureRate(current), Level(current.ChangeFailureLevel), FailureRate(previous), Trend(current.ChangeFailureRate, previous.ChangeFailureRate, higherIsBetter: false) },
            new[] { "Failed deployment recovery", Recovery(current), Level(current.RecoveryLevel), Recovery(previous), Trend(current.RecoveryMedian, previous.RecoveryMedian) },
        };
        var widths = Enumerable.Range(0, 5).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var lines = new List<string>
        {
            $"Delivery metrics of '{environment}' from {Day(current.Period.From)} to {Day(current.Period.To)} ({Days(current.Period)}), against {Day(previous.Period.From)} to {Day(previous.Period.To)}:",
        };
        lines.AddRange(rows.Select(row => string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd()));
        lines.AddRange(current.Problems.Select(problem => "Not computed: " + problem));
        if (current.Unrecovered > 0)
        {
            lines.Add("Not recovered yet: the newest failure has no good deployment or rollback after it, so it is not in the recovery median.");
        }

        return lines;
    }

    public static string ToJson(string environment, KeyFigures current, KeyFigures previous) =>
        JsonSerializer.Serialize(new
        {
            environment,
            current = Document(current),
            previous = Document(previous),
            trend = new
            {
                deploymentFrequency = Trend(current.DeploymentsPerDay, previous.DeploymentsPerDay, higherIsBetter: true),
                leadTime = Trend(current.LeadTimeMedian, previous.LeadTimeMedian),
                changeFailureRate = Trend(current.ChangeFailureRate, previous.ChangeFailureRate, higherIsBetter: false),
                recoveryTime = Trend(current.RecoveryMedian, previous.RecoveryMedian),
            },
            notComputed = current.Problems,
        }, Json);

    private static object Document(KeyFigures figures) => new
    {
        from = figures.Period.From,
        to = figures.Period.To,
        deploymentFrequency = new { deployments = figures.Successful, perDay = Math.Round(figures.DeploymentsPerDay, 4), level = figures.FrequencyLevel },
        leadTime = new { commits = figures.LeadTimes.Count, medianSeconds = Seconds(figures.LeadTimeMedian), p90Seconds = Seconds(figures.LeadTimeP90), level = figures.LeadTimeLevel },
        changeFailureRate = new { failed = figures.Failed, deployments = figures.Deployments, rate = figures.ChangeFailureRate is { } r ? Math.Round(r, 4) : (double?)null, level = figures.ChangeFailureLevel },
        recoveryTime = new { recoveries = figures.Recoveries.Count, unrecovered = figures.Unrecovered, medianSeconds = Seconds(figures.RecoveryMedian), level = figures.RecoveryLevel },
    };

    public static string Frequency(KeyFigures figures) =>
        string.Create(CultureInfo.InvariantCulture, $"{figures.Successful} ({figures.DeploymentsPerDay * 7:0.#}/week)");

    public static string LeadTime(KeyFigures figures) =>
        figures.LeadTimeMedian is { } median ? $"median {Span(median)}, p90 {Span(figures.LeadTimeP90!.Value)} ({figures.LeadTimes.Count} commits)" : "-";

    public static string FailureRate(KeyFigures figures) =>
        figures.ChangeFailureRate is { } rate ? string.Create(CultureInfo.InvariantCulture, $"{figures.Failed}/{figures.Deployments} ({rate:0%})") : "0/0";

    public static string Recovery(KeyFigures figures) =>
        figures.RecoveryMedian is { } median ? $"median {Span(median)} ({figures.Recoveries.Count} outages)" : "-";

    /// <summary>A duration in its two largest units: 2d 1h, 12h 30m, 50m, 40s.</summary>
    public static string Span(TimeSpan span)
    {
        span = TimeSpan.FromSeconds(Math.Round(Math.Abs(span.TotalSeconds)));
        var parts = new (long Amount, string Unit)[] { (span.Days, "d"), (span.Hours, "h"), (span.Minutes, "m"), (span.Seconds, "s") }
            .SkipWhile(p => p.Amount == 0).Take(2).Where(p => p.Amount > 0).Select(p => $"{p.Amount}{p.Unit}").ToList();
        return parts.Count == 0 ? "0s" : string.Join(' ', parts);
    }

    private static string Level(DoraLevel? level) => level?.ToString().ToLowerInvariant() ?? "-";

    private static double? Seconds(TimeSpan? span) => span is { } value ? Math.Round(value.TotalSeconds) : null;

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    private static string Days(MetricsPeriod period) => string.Create(CultureInfo.InvariantCulture, $"{period.Length.TotalDays:0.#} days");

    private static string Trend(TimeSpan? current, TimeSpan? previous) =>
        Trend(current?.TotalSeconds, previous?.TotalSeconds, higherIsBetter: false);

    private static string Trend(double? current, double? previous, bool higherIsBetter) =>
        current is not { } now || previous is not { } before ? "-"
        : Math.Abs(now - before) < 1e-9 ? "same"
        : (now > before) == higherIsBetter ? "better" : "worse";
}
