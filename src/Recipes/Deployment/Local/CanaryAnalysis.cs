using System.Globalization;
using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Local;

/// <summary>Whether a canary step may go on, and the numbers that decided it.</summary>
/// <param name="Healthy">False when the canary breached a limit; the rollout then aborts.</param>
/// <param name="Summary">The step's numbers and verdict in one line.</param>
internal sealed record CanaryVerdict(bool Healthy, string Summary);

/// <summary>
/// Compares a canary with the stable release over one step, from the router's measurements: the canary fails when
/// its 5xx rate is above the strategy's limit and above the stable release's, or when its p95 latency is more than
/// the allowed ratio of the stable one's.
/// </summary>
internal static class CanaryAnalysis
{
    /// <summary>Below this p95 a latency ratio is noise (1 ms against 3 ms), so it is not held against the canary.</summary>
    public const double LatencyFloorMs = 25;

    public static CanaryVerdict Judge(int step, CanaryStrategy strategy, DestinationMetrics stable, DestinationMetrics canary)
    {
        var numbers = string.Create(CultureInfo.InvariantCulture,
            $"canary at {step}%: {canary.Requests} request(s), {canary.ServerErrorRate:P1} 5xx (stable {stable.ServerErrorRate:P1} of {stable.Requests}), p95 {Ms(canary.P95LatencyMs)} (stable {Ms(stable.P95LatencyMs)})");
        if (canary.Requests == 0)
        {
            return new CanaryVerdict(true, numbers + "; no traffic reached the canary in this step, so nothing could be compared");
        }

        if (canary.ServerErrorRate > strategy.MaxErrorRate && canary.ServerErrorRate > stable.ServerErrorRate)
        {
            return new CanaryVerdict(false, numbers + string.Create(CultureInfo.InvariantCulture, $"; 5xx rate above the limit of {strategy.MaxErrorRate:P1}"));
        }

        if (canary.P95LatencyMs is { } slow && stable.P95LatencyMs is { } fast && slow > LatencyFloorMs && slow > fast * strategy.MaxP95Ratio)
        {
            return new CanaryVerdict(false, numbers + string.Create(CultureInfo.InvariantCulture, $"; p95 more than {strategy.MaxP95Ratio:0.##}x the stable release's"));
        }

        return new CanaryVerdict(true, numbers + "; within limits");
    }

    private static string Ms(double? value) => value is { } ms ? string.Create(CultureInfo.InvariantCulture, $"{ms:0.#} ms") : "n/a";
}
