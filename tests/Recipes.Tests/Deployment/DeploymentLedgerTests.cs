using Microsoft.Data.Sqlite;
using Recipes.Deployment;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment;

public sealed class DeploymentLedgerTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-ledger");

    public void Dispose() => _temp.Dispose();

    private string DatabasePath => _temp.Combine("state", "ledger.db");

    private static DeploymentRecord Deploy(string environment, string version, DeploymentKind kind = DeploymentKind.Deploy) =>
        new(environment, "Acme.Shop.Api", version, "sha512-" + version, "0123456789abcdef", "blue-green", kind, "alice");

    private static long Record(DeploymentLedger ledger, string environment, string version, DeploymentOutcome outcome, DeploymentKind kind = DeploymentKind.Deploy)
    {
        var id = ledger.Begin(Deploy(environment, version, kind));
        ledger.Complete(id, outcome);
        return id;
    }

    [Fact]
    public void Open_creates_the_folder_the_file_and_a_WAL_journal()
    {
        DeploymentLedger.Open(DatabasePath).DatabasePath.ShouldBe(DatabasePath);

        File.Exists(DatabasePath).ShouldBeTrue();
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        command.ExecuteScalar().ShouldBe("wal");
    }

    [Fact]
    public void A_row_is_running_from_Begin_and_keeps_every_field_through_Complete()
    {
        var ledger = DeploymentLedger.Open(DatabasePath);
        var started = new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);

        var id = ledger.Begin(Deploy("dev", "1.2.0") with { Started = started, Details = "first" });
        var running = ledger.History("dev").ShouldHaveSingleItem();
        running.Outcome.ShouldBe(DeploymentOutcome.Running);
        running.Ended.ShouldBeNull();
        ledger.Complete(id, DeploymentOutcome.Succeeded, "healthy in 2s");

        var done = ledger.History("dev").ShouldHaveSingleItem();
        done.ShouldBe(Deploy("dev", "1.2.0") with { Id = id, Started = started, Ended = done.Ended, Outcome = DeploymentOutcome.Succeeded, Details = "healthy in 2s" });
        done.Ended.ShouldNotBeNull().ShouldBeGreaterThan(started);
    }

    [Fact]
    public void Begin_stamps_the_start_when_the_record_has_none()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var ledger = DeploymentLedger.Open(DatabasePath);

        ledger.Begin(Deploy("dev", "1.0.0"));

        ledger.History("dev")[0].Started.ShouldBeInRange(before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void History_is_newest_first_per_environment_and_limited()
    {
        var ledger = DeploymentLedger.Open(DatabasePath);
        Record(ledger, "dev", "1.0.0", DeploymentOutcome.Succeeded);
        Record(ledger, "staging", "1.0.0", DeploymentOutcome.Succeeded);
        Record(ledger, "dev", "1.1.0", DeploymentOutcome.Failed);
        Record(ledger, "dev", "1.2.0", DeploymentOutcome.Succeeded);

        ledger.History("dev").Select(r => r.Version).ShouldBe(["1.2.0", "1.1.0", "1.0.0"]);
        ledger.History("dev", limit: 2).Select(r => r.Version).ShouldBe(["1.2.0", "1.1.0"]);
        ledger.History("production").ShouldBeEmpty();
    }

    [Fact]
    public void A_second_ledger_on_the_same_file_sees_the_rows()
    {
        Record(DeploymentLedger.Open(DatabasePath), "dev", "1.0.0", DeploymentOutcome.Succeeded);

        DeploymentLedger.Open(DatabasePath).Live("dev")!.Version.ShouldBe("1.0.0");
    }

    [Fact]
    public void Live_LastSucceeded_and_PreviousSucceeded_skip_failed_and_running_deployments()
    {
        var ledger = DeploymentLedger.Open(DatabasePath);
        ledger.Live("dev").ShouldBeNull();
        ledger.PreviousSucceeded("dev").ShouldBeNull();

        Record(ledger, "dev", "1.0.0", DeploymentOutcome.Succeeded);
        Record(ledger, "dev", "1.1.0", DeploymentOutcome.Succeeded);
        Record(ledger, "dev", "1.1.0", DeploymentOutcome.Succeeded); // a redeploy of the same version is not a rollback target
        Record(ledger, "dev", "1.2.0", DeploymentOutcome.Failed);
        ledger.Begin(Deploy("dev", "1.3.0"));

        ledger.Live("dev")!.Version.ShouldBe("1.1.0");
        ledger.LastSucceeded("dev")!.Version.ShouldBe("1.1.0");
        ledger.PreviousSucceeded("dev")!.Version.ShouldBe("1.0.0");
    }

    [Fact]
    public void After_a_rollback_the_undone_version_is_never_a_target_again_and_the_next_rollback_goes_further_back()
    {
        var ledger = DeploymentLedger.Open(DatabasePath);
        Record(ledger, "dev", "1.0.0", DeploymentOutcome.Succeeded);
        Record(ledger, "dev", "1.1.0", DeploymentOutcome.Succeeded);
        var bad = Record(ledger, "dev", "1.2.0", DeploymentOutcome.Succeeded);

        Record(ledger, "dev", "1.1.0", DeploymentOutcome.Succeeded, DeploymentKind.Rollback);
        ledger.Complete(bad, DeploymentOutcome.RolledBack, "rolled back to 1.1.0");

        var live = ledger.Live("dev")!;
        (live.Version, live.Kind).ShouldBe(("1.1.0", DeploymentKind.Rollback));
        ledger.LastSucceeded("dev")!.Version.ShouldBe("1.1.0");
        ledger.PreviousSucceeded("dev")!.Version.ShouldBe("1.0.0");
        ledger.History("dev").Single(r => r.Id == bad).Outcome.ShouldBe(DeploymentOutcome.RolledBack);
    }

    [Fact]
    public void Complete_refuses_an_unknown_id_an_ended_row_and_the_Running_outcome()
    {
        var ledger = DeploymentLedger.Open(DatabasePath);
        var failed = Record(ledger, "dev", "1.0.0", DeploymentOutcome.Failed);

        Should.Throw<RecipeException>(() => ledger.Complete(42, DeploymentOutcome.Succeeded)).Message
            .ShouldStartWith("Deployment 42 is not in the ledger");
        Should.Throw<RecipeException>(() => ledger.Complete(failed, DeploymentOutcome.Succeeded)).Message
            .ShouldStartWith($"Deployment {failed} already ended as Failed;");
        Should.Throw<RecipeException>(() => ledger.Complete(failed, DeploymentOutcome.RolledBack));
        Should.Throw<ArgumentException>(() => ledger.Complete(failed, DeploymentOutcome.Running));
    }

    [Fact]
    public void HistoryTable_aligns_the_rows_under_a_heading()
    {
        var started = new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);
        var rows = new[]
        {
            Deploy("dev", "1.10.0") with { Id = 12, Started = started, Ended = started.AddSeconds(75), Outcome = DeploymentOutcome.Failed, Details = "health check timed out" },
            Deploy("dev", "1.9.0", DeploymentKind.Rollback) with { Id = 3, Started = started, Ended = started.AddMilliseconds(800), Outcome = DeploymentOutcome.Succeeded, Who = "bob" },
            Deploy("dev", "1.9.1") with { Id = 2, Started = started },
        };

        HistoryTable.Lines("dev", rows).ShouldBe(
        [
            "#   started (UTC)        kind      version  digest        strategy    outcome    took   who    commit   details",
            "12  2026-11-26 09:30:00  deploy    1.10.0   sha512-1.10.  blue-green  Failed     1m15s  alice  0123456  health check timed out",
            "3   2026-11-26 09:30:00  rollback  1.9.0    sha512-1.9.0  blue-green  Succeeded  800ms  bob    0123456",
            "2   2026-11-26 09:30:00  deploy    1.9.1    sha512-1.9.1  blue-green  Running    -      alice  0123456",
        ]);
        HistoryTable.Lines("qa", []).ShouldBe(["No deployments to qa yet."]);
    }
}
