using Recipes.Deployment;
using Recipes.Tests.Support;
using Recipes.Tests.Versioning;

namespace Recipes.Tests.Insight;

/// <summary>
/// A ledger and a git repository with a known 30 days of production history, written through the ledger's own API
/// with chosen times. Day 0 is the start of the period (<see cref="From"/>); the figures it should give are worked
/// out by hand in <see cref="DeliveryMetricsTests"/>.
/// </summary>
internal sealed class ThirtyDayLedger : IDisposable
{
    public static readonly DateTimeOffset From = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Now = From.AddDays(30);

    private readonly TempDirectory _state = new("recipes-insight");
    private readonly SettableClock _clock = new();
    private readonly Dictionary<string, string> _commits = [];

    public ThirtyDayLedger()
    {
        Repository = TestGitRepository.Create();
        Ledger = DeploymentLedger.Open(_state.Combine("ledger.db"), Environment.ProcessId, _ => true, _clock);

        // The previous period: the first deployment, one commit.
        Commit("c0", Day(-11));
        Deploy("1.0.0", "c0", Day(-10), Day(-10).AddMinutes(30), DeploymentOutcome.Succeeded);

        Commit("c1", Day(1));
        Commit("c2", Day(2));
        Deploy("1.1.0", "c2", Day(3), Day(3).AddHours(1), DeploymentOutcome.Succeeded);
        Commit("c3", Day(4));
        Deploy("1.2.0", "c3", Day(5).AddHours(10), Day(5).AddHours(10.5), DeploymentOutcome.Failed);
        Commit("c4", Day(5).AddHours(13));
        Deploy("1.2.1", "c4", Day(6), Day(6).AddMinutes(30), DeploymentOutcome.Succeeded);
        Commit("c5", Day(10));
        var rolledBack = Deploy("1.3.0", "c5", Day(10).AddHours(8), Day(10).AddHours(8).AddMinutes(20), DeploymentOutcome.Succeeded);
        Rollback("1.2.1", "c4", Day(10).AddHours(9), Day(10).AddHours(9).AddMinutes(10), DeploymentOutcome.Succeeded);
        _clock.Now = Day(10).AddHours(9).AddMinutes(10);
        Ledger.Complete(rolledBack, DeploymentOutcome.RolledBack);
        Commit("c6", Day(12));
        Deploy("1.3.1", "c6", Day(12).AddHours(6), Day(12).AddHours(6.5), DeploymentOutcome.Succeeded);
        Rollback("1.2.1", "c4", Day(12).AddHours(7), Day(12).AddHours(7).AddMinutes(5), DeploymentOutcome.Failed);
        Commit("c7", Day(12).AddHours(8));
        Deploy("1.3.2", "c7", Day(12).AddHours(9), Day(12).AddHours(9.5), DeploymentOutcome.Succeeded);
        Commit("c8", Day(20));
        Deploy("1.4.0", "c8", Day(20).AddHours(12), Day(20).AddHours(12.5), DeploymentOutcome.Succeeded);

        // Neither a feature release, nor another environment, nor a deployment still running counts.
        _clock.Now = Day(21);
        Ledger.Complete(Ledger.Begin(Row("production", "1.4.0", Sha("c8"), DeploymentKind.Release, Day(21))), DeploymentOutcome.Succeeded);
        _clock.Now = Day(22);
        Ledger.Complete(Ledger.Begin(Row("staging", "1.5.0", Sha("c8"), DeploymentKind.Deploy, Day(22))), DeploymentOutcome.Failed);
        Ledger.Begin(Row("production", "1.5.0", Sha("c8"), DeploymentKind.Deploy, Day(29).AddHours(23)));
    }

    public TestGitRepository Repository { get; }

    public DeploymentLedger Ledger { get; }

    public string StateDirectory => _state.Path;

    public static DateTimeOffset Day(double day) => From.AddDays(day);

    public string Sha(string name) => _commits[name];

    public void Dispose()
    {
        Repository.Dispose();
        _state.Dispose();
    }

    private void Commit(string name, DateTimeOffset when) => _commits[name] = Repository.Commit(name, when);

    private long Deploy(string version, string commit, DateTimeOffset started, DateTimeOffset ended, DeploymentOutcome outcome) =>
        Record(DeploymentKind.Deploy, version, commit, started, ended, outcome);

    private long Rollback(string version, string commit, DateTimeOffset started, DateTimeOffset ended, DeploymentOutcome outcome) =>
        Record(DeploymentKind.Rollback, version, commit, started, ended, outcome);

    private long Record(DeploymentKind kind, string version, string commit, DateTimeOffset started, DateTimeOffset ended, DeploymentOutcome outcome)
    {
        var id = Ledger.Begin(Row("production", version, _commits[commit], kind, started));
        _clock.Now = ended;
        Ledger.Complete(id, outcome, outcome == DeploymentOutcome.Failed ? "smoke check failed" : null);
        return id;
    }

    private static DeploymentRecord Row(string environment, string version, string commit, DeploymentKind kind, DateTimeOffset started) =>
        new(environment, "Acme.Shop.Api", version, "sha512-" + version, commit, "blue-green", kind, "tester") { Started = started };

    /// <summary>The ledger stamps a row's end with its clock; this one is set to the end each row should have.</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = From;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
