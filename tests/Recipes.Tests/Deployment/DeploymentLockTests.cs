using System.Diagnostics;
using Recipes.Deployment;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment;

public sealed class DeploymentLockTests : IDisposable
{
    // Above Linux's largest pid_max (2^22) and any Windows or macOS pid in practice: a process that cannot be running.
    private const int DeadProcessId = 1_073_741_823;

    private readonly TempDirectory _temp = new("recipes-ledger-lock");

    public void Dispose() => _temp.Dispose();

    private string DatabasePath => _temp.Combine("ledger.db");

    private DeploymentLedger OpenAs(int processId, Func<int, bool>? isAlive = null) =>
        DeploymentLedger.Open(DatabasePath, processId, isAlive ?? (_ => true), TimeProvider.System);

    [Fact]
    public void A_second_deploy_to_a_locked_environment_waits_then_fails_naming_the_holder()
    {
        var first = DeploymentLedger.Open(DatabasePath);
        var second = DeploymentLedger.Open(DatabasePath);
        using var held = first.AcquireLock("staging", "alice", TimeSpan.Zero);

        var waited = Stopwatch.StartNew();
        var error = Should.Throw<DeploymentLockedException>(() => second.AcquireLock("staging", "bob", TimeSpan.FromMilliseconds(300)));

        waited.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
        (error.Holder, error.ProcessId, error.Machine).ShouldBe(("alice", Environment.ProcessId, Environment.MachineName));
        error.Since.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        error.Message.ShouldStartWith($"Environment 'staging' is locked by alice (pid {Environment.ProcessId} on {Environment.MachineName}) since ");
        error.Message.ShouldContain("waited 300ms.");
    }

    [Fact]
    public async Task A_waiting_deploy_says_every_interval_who_holds_the_lock_and_how_long_it_has_waited()
    {
        var first = DeploymentLedger.Open(DatabasePath);
        var second = DeploymentLedger.Open(DatabasePath);
        using var held = first.AcquireLock("staging", "Deploy of Acme.Shop.Api 2.0.0 by alice", TimeSpan.Zero);
        var said = new List<string>();

        await Should.ThrowAsync<DeploymentLockedException>(() =>
            second.AcquireLockAsync("staging", "bob", TimeSpan.FromMilliseconds(1500), said.Add, TimeSpan.FromMilliseconds(100), CancellationToken.None));

        said.Count.ShouldBeGreaterThanOrEqualTo(2, string.Join("\n", said));
        said.ShouldAllBe(line => line.StartsWith(
            $"Waiting for the lock of 'staging', held by Deploy of Acme.Shop.Api 2.0.0 by alice (pid {Environment.ProcessId} on {Environment.MachineName}) since ", StringComparison.Ordinal));
        said[^1].ShouldMatch(@"; waited \d+s of 1500ms$");
    }

    [Fact]
    public async Task A_deploy_that_gets_the_lock_at_once_says_nothing_about_waiting()
    {
        var said = new List<string>();

        await using var taken = await DeploymentLedger.Open(DatabasePath)
            .AcquireLockAsync("staging", "bob", TimeSpan.FromSeconds(1), said.Add, TimeSpan.FromMilliseconds(1), CancellationToken.None);

        said.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_waiting_deploy_gets_the_lock_once_the_holder_releases_it()
    {
        var first = DeploymentLedger.Open(DatabasePath);
        var second = DeploymentLedger.Open(DatabasePath);
        var held = first.AcquireLock("staging", "alice", TimeSpan.Zero);

        var waiting = second.AcquireLockAsync("staging", "bob", TimeSpan.FromSeconds(10));
        await Task.Delay(150);
        waiting.IsCompleted.ShouldBeFalse();
        await held.DisposeAsync();

        await using var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        taken.Environment.ShouldBe("staging");
        Should.Throw<DeploymentLockedException>(() => first.AcquireLock("staging", "carol", TimeSpan.Zero)).Holder.ShouldBe("bob");
    }

    [Fact]
    public void Different_environments_do_not_block_each_other()
    {
        var ledger = DeploymentLedger.Open(DatabasePath);

        using var dev = ledger.AcquireLock("dev", "alice", TimeSpan.Zero);
        using var staging = ledger.AcquireLock("staging", "bob", TimeSpan.Zero);

        staging.Environment.ShouldBe("staging");
    }

    [Fact]
    public void A_released_lock_can_be_taken_again_and_releasing_twice_is_harmless()
    {
        var ledger = DeploymentLedger.Open(DatabasePath);
        var first = ledger.AcquireLock("dev", "alice", TimeSpan.Zero);
        first.Dispose();
        first.Dispose();

        using var second = ledger.AcquireLock("dev", "bob", TimeSpan.Zero);
        Should.Throw<DeploymentLockedException>(() => ledger.AcquireLock("dev", "carol", TimeSpan.Zero)).Holder.ShouldBe("bob");
    }

    [Fact]
    public void A_lock_whose_holder_process_is_dead_is_taken_over()
    {
        var crashed = OpenAs(DeadProcessId);
        crashed.AcquireLock("production", "alice", TimeSpan.Zero); // never released: the process "crashed"

        // The real liveness check, on a pid that cannot be running.
        using var taken = DeploymentLedger.Open(DatabasePath).AcquireLock("production", "bob", TimeSpan.Zero);
        Should.Throw<DeploymentLockedException>(() => OpenAs(Environment.ProcessId).AcquireLock("production", "carol", TimeSpan.Zero)).Holder.ShouldBe("bob");
    }

    [Fact]
    public void The_dead_holder_release_does_not_remove_the_lock_that_replaced_it()
    {
        var crashed = OpenAs(4242, isAlive: _ => false);
        var stale = crashed.AcquireLock("production", "alice", TimeSpan.Zero);
        using var taken = OpenAs(4343, isAlive: pid => pid != 4242).AcquireLock("production", "bob", TimeSpan.Zero);

        stale.Dispose();

        Should.Throw<DeploymentLockedException>(() => OpenAs(4444, isAlive: pid => pid != 4242).AcquireLock("production", "carol", TimeSpan.Zero))
            .Holder.ShouldBe("bob");
    }

    [Fact]
    public void A_live_holder_keeps_its_lock()
    {
        OpenAs(4242, isAlive: _ => true).AcquireLock("production", "alice", TimeSpan.Zero);

        var error = Should.Throw<DeploymentLockedException>(() => OpenAs(4343).AcquireLock("production", "bob", TimeSpan.Zero));

        (error.Holder, error.ProcessId).ShouldBe(("alice", 4242));
    }
}
