using Recipes.Deployment;
using Recipes.Deployment.Watch;
using Recipes.Insight;
using Recipes.Tests.Deployment.Targets;

namespace Recipes.Tests.Deployment.Watch;

/// <summary>
/// The watch after a deployment, on a target whose router the test scripts: the new release's counters since the
/// switch decide, a breach rolls it back through the Rollback target's own rollback with the figures in the ledger,
/// and the delivery metrics count it as a failed deployment with its recovery time.
/// </summary>
public sealed class DeployerWatchTests : IDisposable
{
    private readonly DeployerHarness _harness = new("recipes-watch");
    private readonly TrafficTarget _target;

    public DeployerWatchTests() => _target = new TrafficTarget(LedgerPath);

    public void Dispose() => _harness.Dispose();

    private string LedgerPath => _harness.LedgerPath;

    private DeploymentLedger Ledger => _harness.Ledger;

    private static WatchSettings ThirtySeconds => new(TimeSpan.FromSeconds(30), 0.02, null, 20);

    [Fact]
    public async Task A_release_whose_5xx_rate_since_the_switch_breaks_the_limit_is_rolled_back_with_the_figures_in_the_ledger()
    {
        await Deployer().DeployAsync(Request(Environment(), "1.0.0"), CancellationToken.None);
        // 10 000 good requests before the switch: over the router's totals 10 bad ones of 30 would be 0.1%, not 33%.
        _target.CountedBefore(10_000, 0);
        (_target.RequestsPerRead, _target.ErrorsPerRead) = (30, 10);

        var alert = await Should.ThrowAsync<WatchAlertException>(() =>
            Deployer().DeployAsync(Request(Environment() with { Watch = ThirtySeconds }, "2.0.0"), CancellationToken.None));

        alert.Message.ShouldMatch(@"^dev: 2\.0\.0 rolled back to 1\.0\.0 by its watch \(watch: 5xx rate 0\.333 > 0\.02 over 30 requests in \d+ s; ledger #2, rollback #3\)$");
        _target.Calls.ShouldBe(["Fetch", "Deploy", "Fetch", "Deploy", "Rollback"]);
        var rows = Ledger.History("dev");
        var (rollback, deployment) = (rows[0], rows[1]);
        (deployment.Version, deployment.Outcome).ShouldBe(("2.0.0", DeploymentOutcome.RolledBack));
        deployment.Details.ShouldStartWith("watch: 5xx rate 0.333 > 0.02 over 30 requests in ");
        deployment.Details.ShouldEndWith("; 2.0.0 held in memory");
        (rollback.Kind, rollback.Version, rollback.Outcome, rollback.Who).ShouldBe((DeploymentKind.Rollback, "1.0.0", DeploymentOutcome.Succeeded, "watch"));
        rollback.Details.ShouldStartWith("watch: 5xx rate 0.333 > 0.02");
        Ledger.Live("dev")!.Version.ShouldBe("1.0.0");

        var figures = DeliveryMetrics.Compute(Ledger.All("dev"), new MetricsPeriod(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMinutes(1)), new NoCommits());
        (figures.Deployments, figures.Failed).ShouldBe((2, 1));
        figures.Recoveries.ShouldHaveSingleItem().ShouldBe(rollback.Ended!.Value - deployment.Ended!.Value);
        figures.Unrecovered.ShouldBe(0);
    }

    [Fact]
    public async Task A_slow_p95_breaks_the_limit_too()
    {
        await Deployer().DeployAsync(Request(Environment(), "1.0.0"), CancellationToken.None);
        (_target.RequestsPerRead, _target.ErrorsPerRead, _target.P95Ms) = (25, 0, 812);

        var alert = await Should.ThrowAsync<WatchAlertException>(() =>
            Deployer().DeployAsync(Request(Environment() with { Watch = ThirtySeconds with { MaxP95Ms = 500 } }, "2.0.0"), CancellationToken.None));

        alert.Message.ShouldContain("(watch: p95 812 ms > 500 ms over 25 requests in ");
        Ledger.Live("dev")!.Version.ShouldBe("1.0.0");
    }

    [Fact]
    public async Task One_error_in_two_requests_is_not_judged_below_the_minimum_and_a_release_within_its_limits_stays()
    {
        await Deployer().DeployAsync(Request(Environment(), "1.0.0"), CancellationToken.None);
        (_target.RequestsPerRead, _target.ErrorsPerRead) = (1, 1);
        var shortWatch = ThirtySeconds with { Duration = TimeSpan.FromMilliseconds(100) };

        var result = await Deployer().DeployAsync(Request(Environment() with { Watch = shortWatch with { MinRequests = 1_000 } }, "2.0.0"), CancellationToken.None);

        result.Version.ShouldBe("2.0.0");
        _harness.Log.ShouldContain(line => line.StartsWith("The watch of 2.0.0 on dev ended after 100ms with too few requests to judge (", StringComparison.Ordinal));
        (_target.RequestsPerRead, _target.ErrorsPerRead) = (100, 1);
        await Deployer().DeployAsync(Request(Environment() with { Watch = shortWatch }, "3.0.0"), CancellationToken.None);
        _harness.Log.ShouldContain(line => line.StartsWith("3.0.0 on dev stayed within the watch's limits for 100ms: ", StringComparison.Ordinal));
        Ledger.Live("dev")!.Version.ShouldBe("3.0.0");
        _target.Calls.ShouldNotContain("Rollback");
    }

    [Fact]
    public async Task A_feature_release_during_the_watch_does_not_end_it()
    {
        await Deployer().DeployAsync(Request(Environment(), "1.0.0"), CancellationToken.None);
        _target.OnRead = read =>
        {
            if (read == 1)
            {
                var release = Ledger.Begin(new DeploymentRecord("dev", "App", "2.0.0", DeployerHarness.Digest, "abc1234", "feature", DeploymentKind.Release, "someone"));
                Ledger.Complete(release, DeploymentOutcome.Succeeded, "LoudGreeting on for 10%");
            }
            else if (read == 3)
            {
                (_target.RequestsPerRead, _target.ErrorsPerRead) = (50, 50);
            }
        };

        await Should.ThrowAsync<WatchAlertException>(() =>
            Deployer().DeployAsync(Request(Environment() with { Watch = ThirtySeconds }, "2.0.0"), CancellationToken.None));

        Ledger.History("dev")[0].Kind.ShouldBe(DeploymentKind.Rollback);
    }

    [Fact]
    public async Task Watch_0s_skips_the_watch_for_one_run()
    {
        await Deployer().DeployAsync(Request(Environment(), "1.0.0"), CancellationToken.None);
        (_target.RequestsPerRead, _target.ErrorsPerRead) = (100, 100);

        await Deployer().DeployAsync(Request(Environment() with { Watch = ThirtySeconds }, "2.0.0") with { WatchFor = TimeSpan.Zero }, CancellationToken.None);

        _harness.Log.ShouldContain("The watch of dev is skipped for this run (--watch=0s)");
        Ledger.Live("dev")!.Version.ShouldBe("2.0.0");
    }

    [Fact]
    public async Task A_target_without_traffic_metrics_says_so_in_one_line_and_is_not_watched()
    {
        var plain = new InMemoryTarget(LedgerPath);
        var deployer = _harness.Deployer([InMemoryTarget.Registration(plain)]);

        await deployer.DeployAsync(Request(Environment() with { Watch = ThirtySeconds }, "1.0.0"), CancellationToken.None);

        _harness.Log.ShouldContain("dev is not watched: its target 'memory' reports no traffic metrics");
        Ledger.Live("dev")!.Version.ShouldBe("1.0.0");
    }

    internal Deployer Deployer() => _harness.Deployer([TrafficTarget.Registration(_target)]);

    internal DeploymentRequest Request(DeploymentEnvironment environment, string version) => _harness.Request(environment, version);

    internal static DeploymentEnvironment Environment() => DeployerHarness.Environment();

    private sealed class NoCommits : ICommitHistory
    {
        public CommitLookup Between(string? from, string to) => CommitLookup.Failed("no repository in this test");
    }
}
