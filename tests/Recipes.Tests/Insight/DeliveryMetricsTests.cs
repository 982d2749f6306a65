using Recipes.Insight;
using Recipes.Tests.Versioning;

namespace Recipes.Tests.Insight;

/// <summary>
/// The four keys of <see cref="ThirtyDayLedger"/>'s production history, against figures worked out by hand. Day n is
/// n days after the period starts; times are UTC.
/// </summary>
public sealed class DeliveryMetricsTests : IDisposable
{
    private static readonly MetricsPeriod Period = new(ThirtyDayLedger.From, ThirtyDayLedger.Now);
    private readonly ThirtyDayLedger _history = new();

    public void Dispose() => _history.Dispose();

    [Fact]
    public void A_known_thirty_days_gives_the_four_figures_computed_by_hand()
    {
        var figures = Compute(new GitCommitHistory(_history.Repository.Directory));

        // Deployments that ended in the period: 1.1.0, 1.2.0 (failed), 1.2.1, 1.3.0 (rolled back), 1.3.1 (followed
        // by a failed rollback), 1.3.2, 1.4.0 = 7; the release row, staging, and the running 1.5.0 do not count.
        figures.Deployments.ShouldBe(7);
        // Frequency: the 6 that went live (1.2.0 never did) over 30 days = 0.2 a day, between daily and weekly.
        figures.Successful.ShouldBe(6);
        figures.DeploymentsPerDay.ShouldBe(0.2, 1e-9);
        figures.FrequencyLevel.ShouldBe(DoraLevel.High);
        // Change failure rate: 1.2.0, 1.3.0, 1.3.1 = 3/7, 43%, low.
        figures.Failed.ShouldBe(3);
        figures.ChangeFailureLevel.ShouldBe(DoraLevel.Low);
        // Lead time, per commit, to the end of the deployment that carried it (in hours):
        // 1.1.0 (day 3 01:00) carried c1 (day 1) 49 and c2 (day 2) 25; 1.2.1 (day 6 00:30), after 1.1.0 (1.2.0 failed),
        // carried c3 (day 4) 48.5 and c4 (day 5 13:00) 11.5; 1.3.0 (day 10 08:20) c5 (day 10) 8 1/3; 1.3.1 (day 12
        // 06:30) c6 (day 12) 6.5; 1.3.2 (day 12 09:30) c7 (day 12 08:00) 1.5; 1.4.0 (day 20 12:30) c8 (day 20) 12.5.
        // Sorted: 1.5 6.5 8.3 11.5 | 12.5 25 48.5 49: median (11.5 + 12.5) / 2 = 12 h, elite; p90 = 8th of 8 = 49 h.
        figures.LeadTimes.Count.ShouldBe(8);
        figures.LeadTimeMedian.ShouldBe(TimeSpan.FromHours(12));
        figures.LeadTimeP90.ShouldBe(TimeSpan.FromHours(49));
        figures.LeadTimeLevel.ShouldBe(DoraLevel.Elite);
        // Recovery: 1.2.0 failed day 5 10:30, 1.2.1 live day 6 00:30 = 14 h; 1.3.0 live day 10 08:20, rolled back by
        // day 10 09:10 = 50 min; 1.3.1 live day 12 06:30 (its rollback failed), 1.3.2 live day 12 09:30 = 3 h.
        figures.Recoveries.Order().ShouldBe([TimeSpan.FromMinutes(50), TimeSpan.FromHours(3), TimeSpan.FromHours(14)]);
        figures.RecoveryMedian.ShouldBe(TimeSpan.FromHours(3));
        figures.RecoveryLevel.ShouldBe(DoraLevel.High);
        figures.Unrecovered.ShouldBe(0);
        figures.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void The_previous_period_gives_the_trend()
    {
        var commits = new GitCommitHistory(_history.Repository.Directory);
        var previous = Compute(commits, Period.Previous);

        // 1.0.0 alone, the environment's first deployment: its own commit c0 (day -11) to day -10 00:30 = 24.5 h.
        previous.Deployments.ShouldBe(1);
        previous.Failed.ShouldBe(0);
        previous.LeadTimes.ShouldBe([TimeSpan.FromHours(24.5)]);
        previous.FrequencyLevel.ShouldBe(DoraLevel.Medium);
        previous.RecoveryMedian.ShouldBeNull();

        var table = string.Join('\n', MetricsOutput.Table("production", Compute(commits), previous));
        table.ShouldContain("Change failure rate         3/7 (43%)");
        table.ShouldContain("0/1 (0%)");
        table.ShouldContain("median 12h, p90 2d 1h (8 commits)");
        table.ShouldContain("median 3h (3 outages)");
        table.Split('\n')[2].ShouldEndWith("better");
        table.Split('\n')[4].ShouldEndWith("worse");
    }

    [Fact]
    public void Without_the_repository_lead_time_says_why_and_the_other_keys_are_still_computed()
    {
        using var elsewhere = TestGitRepository.CreateFolder();

        var figures = Compute(new GitCommitHistory(elsewhere.Directory));

        figures.LeadTimes.ShouldBeEmpty();
        figures.LeadTimeMedian.ShouldBeNull();
        figures.Problems.Count.ShouldBe(6);
        figures.Problems[0].ShouldBe($"lead time of 1.1.0 (deployment 2): {elsewhere.Directory} is not a git repository (the ledger has each deployment's commit SHA, but the commits' times come from git); run Metrics in a clone with the full history");
        figures.Failed.ShouldBe(3);
        figures.RecoveryMedian.ShouldBe(TimeSpan.FromHours(3));
    }

    [Fact]
    public void A_commit_missing_from_a_shallow_clone_is_named()
    {
        using var shallow = TestGitRepository.ShallowCloneOf(_history.Repository);

        var figures = Compute(new GitCommitHistory(shallow.Directory));

        // Only 1.4.0's range (c7..c8) fails on c7; every earlier commit is missing too.
        figures.LeadTimes.ShouldBeEmpty();
        var expected = $"lead time of 1.4.0 (deployment 10): commit {_history.Sha("c7")[..12]} is not in the repository at {shallow.Directory}";
        figures.Problems.ShouldContain(p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    private KeyFigures Compute(ICommitHistory commits, MetricsPeriod? period = null) =>
        DeliveryMetrics.Compute(_history.Ledger.All("production"), period ?? Period, commits);
}
