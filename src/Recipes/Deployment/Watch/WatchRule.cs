using System.Globalization;
using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Watch;

/// <summary>What the watch measured for the new release since the switch.</summary>
/// <param name="Requests">Requests that reached it.</param>
/// <param name="ServerErrors">Those answered with a 5xx status.</param>
/// <param name="P95Ms">The router's p95 latency of it over its last minute, or null before any answer.</param>
/// <param name="Elapsed">Since its deployment succeeded.</param>
internal sealed record WatchFigures(long Requests, long ServerErrors, double? P95Ms, TimeSpan Elapsed)
{
    /// <summary>The share of 5xx answers, 0 without requests.</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)ServerErrors / Requests;

    /// <summary>The figures in a few words, for progress lines.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Requests} request(s), {ServerErrors} 5xx (rate {ErrorRate:0.###}), p95 {(P95Ms is { } p95 ? $"{p95:0.#} ms" : "n/a")}, {Elapsed.TotalSeconds:0} s");
}

/// <summary>
/// The watch's rule: counters are deltas since the switch (the router counts from its own start), and no limit is
/// judged before the release has had the minimum of requests; then it is rolled back when its 5xx rate over all those
/// requests, or its p95 latency, is above the environment's limit.
/// </summary>
internal static class WatchRule
{
    /// <summary>The live destination's traffic between <paramref name="baseline"/> (before the switch) and <paramref name="now"/>.</summary>
    public static WatchFigures Measure(TrafficReading? baseline, TrafficReading now, TimeSpan elapsed)
    {
        var name = now.LiveDestination;
        var end = now.Destinations.GetValueOrDefault(name) ?? new DestinationMetrics(name, 0, 0, null, 0, 0, 0);
        var start = baseline?.Destinations.GetValueOrDefault(name);

        // Counters below the baseline mean the router restarted since: it counts from zero again.
        var from = start is not null && start.Requests <= end.Requests && start.ServerErrors <= end.ServerErrors ? start : null;
        return new WatchFigures(end.Requests - (from?.Requests ?? 0), end.ServerErrors - (from?.ServerErrors ?? 0), end.P95LatencyMs, elapsed);
    }

    /// <summary>Why the release breaks a limit, with the figures (<c>watch: 5xx rate 0.31 &gt; 0.02 over 412 requests in 6 s</c>), or null while it does not.</summary>
    public static string? Breach(WatchSettings settings, WatchFigures figures)
    {
        if (figures.Requests < settings.MinRequests)
        {
            return null;
        }

        var over = string.Create(CultureInfo.InvariantCulture, $"over {figures.Requests} requests in {figures.Elapsed.TotalSeconds:0} s");
        if (figures.ErrorRate > settings.MaxErrorRate)
        {
            return string.Create(CultureInfo.InvariantCulture, $"watch: 5xx rate {figures.ErrorRate:0.###} > {settings.MaxErrorRate:0.###} {over}");
        }

        return settings.MaxP95Ms is { } limit && figures.P95Ms is { } p95 && p95 > limit
            ? string.Create(CultureInfo.InvariantCulture, $"watch: p95 {p95:0.#} ms > {limit:0.#} ms {over}")
            : null;
    }
}
