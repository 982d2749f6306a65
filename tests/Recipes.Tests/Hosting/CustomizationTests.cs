using Cake.Core;
using Recipes.Hosting;
using Recipes.Tests.Hosting.Library;

namespace Recipes.Tests.Hosting;

public sealed class CustomizationTests
{
    // The team's own tasks.
    [TaskDescription("Compile with the team's own flags")]
    public sealed class TeamCompile(Journal journal) : FrostingTask
    {
        public override void Run(ICakeContext context) => journal.Add("TeamCompile");
    }

    public sealed class Sign(Journal journal) : JournalTask(journal);

    public sealed class Notify(Journal journal) : JournalTask(journal);

    private static HostHarness Pipeline()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<CommitStage>();
        return harness;
    }

    [Fact]
    public void The_library_pipeline_runs_as_shipped()
    {
        var harness = Pipeline();

        harness.Run("--target=CommitStage").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Compile", "FastTests", "Package", "Publish"]);
    }

    [Fact]
    public void A_turned_off_task_is_skipped_with_its_reason_and_the_rest_still_runs_in_order()
    {
        var harness = Pipeline();
        harness.Host.ConfigureTasks(t => t.TurnOff<Publish>("we publish from another job"));

        harness.Run("--target=CommitStage").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Compile", "FastTests", "Package"]);
        harness.Output.ShouldMatch(@"Publish\s+-\s+Skipped\s+we publish from another job");
    }

    [Fact]
    public void A_replaced_task_runs_the_team_task_in_its_place_under_its_name()
    {
        var harness = Pipeline();
        harness.Host.ConfigureTasks(t => t.Replace<Compile, TeamCompile>());

        harness.Run("--target=CommitStage").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["TeamCompile", "FastTests", "Package", "Publish"]);
        harness.Output.ShouldNotContain("TeamCompile", customMessage: "the replacement runs under the library task's name");
    }

    [Fact]
    public void The_replaced_task_is_still_a_target_and_keeps_the_replacement_description()
    {
        var harness = Pipeline();
        harness.Host.ConfigureTasks(t => t.Replace<Compile, TeamCompile>());

        harness.Run("--description").ShouldBe(0, harness.Error);

        harness.Output.ShouldMatch(@"Compile\s+Compile with the team's own flags");
    }

    [Fact]
    public void Tasks_inserted_before_and_after_a_library_task_run_around_it_within_aggregate_targets()
    {
        var harness = Pipeline();
        harness.Host.ConfigureTasks(t => t.InsertBefore<Package, Sign>().InsertAfter<Package, Notify>());

        harness.Run("--target=CommitStage").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Compile", "FastTests", "Sign", "Package", "Notify", "Publish"]);
    }

    [Fact]
    public void Two_tasks_with_one_name_are_an_error_naming_both_types()
    {
        var harness = Pipeline();
        harness.Host.AddTask<Recipes.Tests.Hosting.Build>().AddTask<Duplicate.Build>();

        OneLineError.From(harness, "--target=Build").Naming("Two tasks are named 'Build'", "Duplicate.Build");
    }
}
