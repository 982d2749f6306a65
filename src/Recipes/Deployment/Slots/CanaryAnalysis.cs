using System.Globalization;
using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Slots;

/// <summary>How a canary step ended.</summary>
internal enum CanaryOutcome
{
    /// <summary>Enough traffic, and within the limits: the rollout goes on.</summary>
    Passed,

    /// <summary>A limit was breached: the canary is aborted.</summary>
    Failed,

    /// <summary>Too few requests reached the canary to compare anything: aborted too, since no data is not a pass.</summary>
    Inconclusive,
}

/// <summary>Whether a canary step may go on, and the numbers that decided it.</summary>
/// <param name="Outcome">Passed, or why the rollout aborts.</param>
/// <param name="Summary">The step's numbers and verdict in one line.</param>
internal sealed record CanaryVerdict(CanaryOutcome Outcome, string Summary)
{
    /// <summary>Whether the rollout may go on to the next step.</summary>
    public bool Healthy => Outcome == CanaryOutcome.Passed;
}

/// <summary>
/// Compares a canary with the stable release over one step, from the router's measurements: the step is inconclusive
/// when fewer than the strategy's minimum of requests reached the canary (as Argo Rollouts' analysis is when it has no
/// measurements); otherwise the canary fails when its 5xx rate is above the strategy's limit and above the stable
/// release's, or when its p95 latency is above the strategy's floor and more than the allowed ratio of the stable one's.
/// </summary>
internal static class CanaryAnalysis
{
    public static CanaryVerdict Judge(int step, CanaryStrategy strategy, DestinationMetrics stable, DestinationMetrics canary)
    {
        var overRatio = canary.P95LatencyMs is { } slow && stable.P95LatencyMs is { } fast && slow > fast * strategy.MaxP95Ratio;
        var underFloor = canary.P95LatencyMs is { } p95 && p95 <= strategy.P95FloorMs;
        var numbers = string.Create(CultureInfo.InvariantCulture,
            $"canary at {step}%: {canary.Requests} request(s), {canary.ServerErrorRate:P1} 5xx (stable {stable.ServerErrorRate:P1} of {stable.Requests}), p95 {Ms(canary.P95LatencyMs)} (stable {Ms(stable.P95LatencyMs)}{FloorNote(strategy, stable, canary, overRatio && underFloor)})");
        if (canary.Requests < strategy.MinRequests)
        {
            var remedy = strategy.Probe is null
                ? "send traffic during the pause, set probe: true under strategy in environments.yml, or lower min-requests"
                : "raise probe.rate or pause, or lower min-requests";
            return new CanaryVerdict(CanaryOutcome.Inconclusive, string.Create(CultureInfo.InvariantCulture,
                $"inconclusive: {canary.Requests} of {strategy.MinRequests} requests reached the canary at {step}% in {strategy.Pause.TotalSeconds:0.#} s, so nothing could be compared ({numbers}); {remedy}"));
        }

        if (canary.ServerErrorRate > strategy.MaxErrorRate && canary.ServerErrorRate > stable.ServerErrorRate)
        {
            return new CanaryVerdict(CanaryOutcome.Failed, numbers + string.Create(CultureInfo.InvariantCulture, $"; 5xx rate above the limit of {strategy.MaxErrorRate:P1}"));
        }

        if (overRatio && !underFloor)
        {
            return new CanaryVerdict(CanaryOutcome.Failed, numbers + string.Create(CultureInfo.InvariantCulture, $"; p95 more than {strategy.MaxP95Ratio:0.##}x the stable release's"));
        }

        return new CanaryVerdict(CanaryOutcome.Passed, numbers + "; within limits");
    }

    /// <summary>When the floor, not the ratio, let the canary's latency pass: the ratio it had and the floor that excused it.</summary>
    private static string FloorNote(CanaryStrategy strategy, DestinationMetrics stable, DestinationMetrics canary, bool floorDecided)
    {
        if (!floorDecided)
        {
            return string.Empty;
        }

        var ratio = stable.P95LatencyMs is > 0 and var fast ? string.Create(CultureInfo.InvariantCulture, $", {canary.P95LatencyMs / fast:0.0#}x") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{ratio}; under the {strategy.P95FloorMs:0.##} ms floor, so not compared");
    }

    /// <summary>What a step has seen so far, for the line printed every few seconds while it waits.</summary>
    public static string Progress(int step, TimeSpan elapsed, TimeSpan pause, DestinationMetrics stable, DestinationMetrics canary, int minRequests) =>
        string.Create(CultureInfo.InvariantCulture,
            $"canary at {step}%: {elapsed.TotalSeconds:0.#} s of {pause.TotalSeconds:0.#} s; canary {canary.Requests} request(s) (at least {minRequests} needed), {canary.ServerErrors} 5xx; stable {stable.Requests} request(s), {stable.ServerErrors} 5xx");

    private static string Ms(double? value) => value is { } ms ? string.Create(CultureInfo.InvariantCulture, $"{ms:0.#} ms") : "n/a";
}
