using Cake.Core;
using Recipes.Hosting;

namespace Recipes.Tests.Hosting;

public sealed class LifetimeTests
{
    public sealed class RecordingLifetime(Journal journal) : FrostingLifetime
    {
        public override void Setup(ICakeContext context, ISetupContext info) => journal.Add($"setup:{info.TargetTask.Name}");

        public override void Teardown(ICakeContext context, ITeardownContext info) => journal.Add($"teardown:{(info.Successful ? "ok" : "failed")}");
    }

    public sealed class RecordingTaskLifetime(Journal journal) : FrostingTaskLifetime
    {
        public override void Setup(ICakeContext context, ITaskSetupContext info) => journal.Add($"task-setup:{info.Task.Name}");

        public override void Teardown(ICakeContext context, ITaskTeardownContext info) =>
            journal.Add($"task-teardown:{info.Task.Name}:{(info.Successful ? "ok" : "failed")}");
    }

    public sealed class First(Journal journal) : JournalTask(journal);

    [IsDependentOn(typeof(First))]
    public sealed class Explodes(Journal journal) : FrostingTask
    {
        public override void Run(ICakeContext context)
        {
            journal.Add("Explodes");
            throw new InvalidOperationException("the disk is full");
        }

        public override void Finally(ICakeContext context) => journal.Add("finally:Explodes");
    }

    // Cake's engine treats an error handler as handling the error; rethrowing from it fails the build.
    public sealed class ExplodesAndRethrows(Journal journal) : FrostingTask
    {
        public override void Run(ICakeContext context) => throw new InvalidOperationException("the disk is full");

        public override void OnError(Exception exception, ICakeContext context)
        {
            journal.Add($"on-error:{exception.Message}");
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
        }

        public override void Finally(ICakeContext context) => journal.Add("finally");
    }

    public sealed class ExplodesAndRecovers(Journal journal) : FrostingTask
    {
        public override void Run(ICakeContext context) => throw new InvalidOperationException("cache unavailable");

        public override void OnError(Exception exception, ICakeContext context) => journal.Add($"recovered:{exception.Message}");
    }

    [IsDependentOn(typeof(ExplodesAndRecovers))]
    public sealed class AfterRecovery(Journal journal) : JournalTask(journal);

    [IsDependentOn(typeof(Explodes))]
    public sealed class AfterExplosion(Journal journal) : JournalTask(journal);

    [ContinueOnError]
    public sealed class Shrugs(Journal journal) : FrostingTask
    {
        public override void Run(ICakeContext context)
        {
            journal.Add("Shrugs");
            throw new InvalidOperationException("flaky");
        }
    }

    [IsDependentOn(typeof(Shrugs))]
    public sealed class Carries(Journal journal) : JournalTask(journal);

    public sealed class Waits(Journal journal) : AsyncFrostingTask
    {
        public override async Task RunAsync(ICakeContext context)
        {
            await Task.Yield();
            journal.Add("Waits");
        }
    }

    public sealed class WrongContext : FrostingTask<LifetimeTestContext>
    {
    }

    public sealed class LifetimeTestContext(ICakeContext context) : FrostingContext(context);

    [Fact]
    public void Setup_task_setup_work_task_teardown_and_teardown_run_in_that_order()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<First>().UseLifetime<RecordingLifetime>().UseTaskLifetime<RecordingTaskLifetime>();

        harness.Run("--target=First").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["setup:First", "task-setup:First", "First", "task-teardown:First:ok", "teardown:ok"]);
    }

    [Fact]
    public void A_failing_task_exits_1_names_the_task_and_error_and_still_runs_Finally_and_teardown()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<AfterExplosion>().UseLifetime<RecordingLifetime>().UseTaskLifetime<RecordingTaskLifetime>();

        harness.Run("--target=AfterExplosion").ShouldBe(1);

        harness.Journal.Entries.ShouldBe([
            "setup:AfterExplosion",
            "task-setup:First", "First", "task-teardown:First:ok",
            "task-setup:Explodes", "Explodes", "finally:Explodes", "task-teardown:Explodes:failed",
            "teardown:failed",
        ]);
        // One line says which task failed and why; Cake's own "An error occurred when executing task" would repeat it.
        OneLineError.LineOf(harness.Error).ShouldContain("Task 'Explodes' failed: the disk is full");
    }

    [Fact]
    public void OnError_that_rethrows_runs_before_Finally_and_the_build_fails()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<ExplodesAndRethrows>();

        harness.Run("--target=ExplodesAndRethrows").ShouldBe(1);

        harness.Journal.Entries.ShouldBe(["on-error:the disk is full", "finally"]);
        harness.Error.ShouldContain("Task 'ExplodesAndRethrows' failed: the disk is full");
    }

    [Fact]
    public void OnError_that_handles_the_error_lets_the_build_go_on_as_in_Cake()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<AfterRecovery>();

        harness.Run("--target=AfterRecovery").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["recovered:cache unavailable", "AfterRecovery"]);
    }

    [Fact]
    public void A_task_marked_ContinueOnError_does_not_stop_the_build()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Carries>();

        harness.Run("--target=Carries").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Shrugs", "Carries"]);
    }

    [Fact]
    public void An_async_task_is_awaited()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Waits>();

        harness.Run("--target=Waits").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Waits"]);
    }

    [Fact]
    public void A_task_whose_context_does_not_fit_is_an_error_that_says_how_to_fix_it()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<WrongContext>();

        harness.Run("--target=WrongContext").ShouldBe(2);

        harness.Error.ShouldContain("Task 'WrongContext'");
        harness.Error.ShouldContain("needs a context of type");
        harness.Error.ShouldContain("UseContext<LifetimeTestContext>()");
    }

    [Fact]
    public void A_custom_context_reaches_the_tasks()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<WrongContext>().UseContext<LifetimeTestContext>();

        harness.Run("--target=WrongContext").ShouldBe(0, harness.Error);
    }
}
