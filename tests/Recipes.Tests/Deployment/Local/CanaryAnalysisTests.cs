using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Deployment.Routing;

namespace Recipes.Tests.Deployment.Local;

/// <summary>The verdict on one canary step, from the router's numbers for the stable release and the canary.</summary>
public sealed class CanaryAnalysisTests
{
    private static readonly CanaryStrategy Strategy = new([10, 50, 100], TimeSpan.FromSeconds(30), 0.05, 1.5);

    private static DestinationMetrics Traffic(string name, long requests, long serverErrors = 0, double? p95 = 5) =>
        new(name, requests, serverErrors, requests == 0 ? null : p95, 0, 0, 0);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(49)]
    public void Fewer_requests_than_the_minimum_are_inconclusive_not_a_pass(int requests)
    {
        var verdict = CanaryAnalysis.Judge(10, Strategy, Traffic("blue-1", 900), Traffic("green-2", requests));

        verdict.Outcome.ShouldBe(CanaryOutcome.Inconclusive);
        verdict.Healthy.ShouldBeFalse();
        verdict.Summary.ShouldStartWith($"inconclusive: {requests} of 50 requests reached the canary at 10% in 30 s");
        verdict.Summary.ShouldContain("set probe: true");
    }

    [Fact]
    public void At_the_minimum_the_step_is_judged_by_its_error_rate_and_latency()
    {
        CanaryAnalysis.Judge(10, Strategy, Traffic("blue-1", 450), Traffic("green-2", 50)).Outcome.ShouldBe(CanaryOutcome.Passed);
        CanaryAnalysis.Judge(10, Strategy, Traffic("blue-1", 450), Traffic("green-2", 50, serverErrors: 10)).Summary.ShouldContain("; 5xx rate above the limit");
        CanaryAnalysis.Judge(10, Strategy, Traffic("blue-1", 450, p95: 40), Traffic("green-2", 51, p95: 100)).Outcome.ShouldBe(CanaryOutcome.Failed);
    }

    [Fact]
    public void The_minimum_is_the_strategys_and_probes_change_the_advice()
    {
        var probed = Strategy with { MinRequests = 5, Probe = new CanaryProbe(null, 10) };

        CanaryAnalysis.Judge(50, probed, Traffic("blue-1", 0), Traffic("green-2", 5)).Outcome.ShouldBe(CanaryOutcome.Passed);
        var verdict = CanaryAnalysis.Judge(50, probed, Traffic("blue-1", 0), Traffic("green-2", 4));
        verdict.Summary.ShouldStartWith("inconclusive: 4 of 5 requests reached the canary at 50%");
        verdict.Summary.ShouldContain("raise probe.rate");
    }

    [Fact]
    public void A_latency_ratio_under_the_floor_passes_and_the_line_says_the_floor_decided()
    {
        var verdict = CanaryAnalysis.Judge(10, Strategy, Traffic("blue-1", 450, p95: 1.8), Traffic("green-2", 50, p95: 6.9));

        verdict.Outcome.ShouldBe(CanaryOutcome.Passed);
        verdict.Summary.ShouldEndWith("p95 6.9 ms (stable 1.8 ms, 3.83x; under the 25 ms floor, so not compared); within limits");
    }

    [Fact]
    public void The_floor_is_the_strategys_so_a_lower_one_compares_small_latencies()
    {
        var verdict = CanaryAnalysis.Judge(10, Strategy with { P95FloorMs = 5 }, Traffic("blue-1", 450, p95: 1.8), Traffic("green-2", 50, p95: 6.9));

        verdict.Outcome.ShouldBe(CanaryOutcome.Failed);
        verdict.Summary.ShouldEndWith("p95 6.9 ms (stable 1.8 ms); p95 more than 1.5x the stable release's");
    }

    [Fact]
    public void Within_the_ratio_the_line_does_not_mention_the_floor()
    {
        CanaryAnalysis.Judge(10, Strategy, Traffic("blue-1", 450, p95: 5), Traffic("green-2", 50, p95: 6))
            .Summary.ShouldEndWith("p95 6 ms (stable 5 ms); within limits");
    }

    [Fact]
    public void Progress_says_the_step_the_time_of_the_pause_and_the_requests_and_5xx_of_both()
    {
        CanaryAnalysis.Progress(10, TimeSpan.FromSeconds(5.2), TimeSpan.FromSeconds(30), Traffic("blue-1", 180, 2), Traffic("green-2", 20, 1), 50)
            .ShouldBe("canary at 10%: 5.2 s of 30 s; canary 20 request(s) (at least 50 needed), 1 5xx; stable 180 request(s), 2 5xx");
    }

    [Theory]
    [InlineData(30, 5, new[] { 5, 5, 5, 5, 5, 5 }, 5)]
    [InlineData(30, 7, new[] { 7, 7, 7, 7, 2 }, 4)]
    [InlineData(3, 5, new[] { 3 }, 0)]
    public async Task A_pause_is_waited_in_intervals_with_a_report_after_each_but_the_last(int pauseSeconds, int intervalSeconds, int[] waits, int reports)
    {
        // A clock that moves only when the step waits.
        var now = TimeSpan.Zero;
        var waited = new List<TimeSpan>();
        var reported = new List<TimeSpan>();

        await CanaryRollout.WaitWithProgressAsync(
            TimeSpan.FromSeconds(pauseSeconds),
            TimeSpan.FromSeconds(intervalSeconds),
            () => now,
            wait => { waited.Add(wait); now += wait; return Task.CompletedTask; },
            elapsed => { reported.Add(elapsed); return Task.CompletedTask; });

        waited.ShouldBe(waits.Select(s => TimeSpan.FromSeconds(s)));
        reported.Count.ShouldBe(reports);
        reported.ShouldAllBe(elapsed => elapsed < TimeSpan.FromSeconds(pauseSeconds));
    }
}
