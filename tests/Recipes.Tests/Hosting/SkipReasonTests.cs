using Cake.Core;
using Recipes.Hosting;

namespace Recipes.Tests.Hosting;

public sealed class SkipReasonTests
{
    public sealed class OnlyOnTags(Journal journal) : FrostingTask
    {
        public override bool ShouldRun(ICakeContext context) =>
            context.Arguments.HasArgument("tag") || Skip("not a tagged commit");

        public override void Run(ICakeContext context) => journal.Add("OnlyOnTags");
    }

    public sealed class Quietly(Journal journal) : FrostingTask
    {
        public override bool ShouldRun(ICakeContext context) => false;

        public override void Run(ICakeContext context) => journal.Add("Quietly");
    }

    [IsDependentOn(typeof(OnlyOnTags))]
    [IsDependentOn(typeof(Quietly))]
    public sealed class Release(Journal journal) : JournalTask(journal);

    public sealed class Summarizes(RunSummary summary) : FrostingTask
    {
        public override void Run(ICakeContext context)
        {
            summary.Set("Version", "1.0.0-ci.1");
            summary.Set("FastTests", "1 passed, 0 failed, 0 skipped");
            summary.Set("Version", "1.0.0-ci.2");
        }
    }

    [Fact]
    public void Facts_set_on_the_run_summary_follow_the_table_in_first_set_order_with_the_last_value()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Summarizes>();

        harness.Run("--target=Summarizes").ShouldBe(0, harness.Error);

        var output = harness.Output;
        output.ShouldMatch(@"Version:\s+1\.0\.0-ci\.2");
        output.ShouldNotContain("1.0.0-ci.1");
        output.IndexOf("Version:", StringComparison.Ordinal).ShouldBeLessThan(output.IndexOf("FastTests:", StringComparison.Ordinal));
        output.IndexOf("Total:", StringComparison.Ordinal).ShouldBeLessThan(output.IndexOf("Version:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_summary_says_why_each_task_was_skipped()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Release>();

        harness.Run("--target=Release").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Release"]);
        harness.Output.ShouldContain("Skip Reason");
        harness.Output.ShouldMatch(@"OnlyOnTags\s+-\s+Skipped\s+not a tagged commit");
        harness.Output.ShouldMatch(@"Quietly\s+-\s+Skipped\s+ShouldRun returned false");
    }

    [Fact]
    public void A_task_whose_ShouldRun_says_yes_runs_and_has_no_skip_reason()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<OnlyOnTags>();

        harness.Run("--target=OnlyOnTags", "--tag").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["OnlyOnTags"]);
        harness.Output.ShouldNotContain("Skip Reason");
    }
}
