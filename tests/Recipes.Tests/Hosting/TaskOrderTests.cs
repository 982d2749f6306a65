namespace Recipes.Tests.Hosting;

public sealed class TaskOrderTests
{
    [Fact]
    public void Dependencies_run_first_and_a_dependee_attaches_itself_before_its_dependent()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Pack>().AddTask<Lint>();

        harness.Run("--target=Pack").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Restore", "Lint", "Build", "UnitTests", "Pack"]);
    }

    [Fact]
    public void Without_a_target_the_Default_task_runs()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Default>().AddTask<Lint>();

        harness.Run().ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Restore", "Lint", "Build", "UnitTests", "Pack"]);
        harness.Output.ShouldMatch(@"Default\s+\d\d:\d\d:\d\d", "the aggregate target appears in the summary");
    }

    [Fact]
    public void Targets_are_matched_by_TaskName_and_ignore_case()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<UnitTests>().AddTask<Lint>();

        harness.Run("test").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Restore", "Lint", "Build", "UnitTests"]);
    }

    [Fact]
    public void Several_targets_share_one_graph_and_each_task_runs_once()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Pack>().AddTask<Lint>();

        harness.Run("--target=Lint", "-t", "Build").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Restore", "Lint", "Build"]);
    }

    [Fact]
    public void Exclusive_runs_the_target_alone()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Pack>().AddTask<Lint>();

        harness.Run("--target=Pack", "--exclusive").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Pack"]);
    }

    [Fact]
    public void Dry_run_lists_the_tasks_in_order_and_runs_none()
    {
        foreach (var flag in new[] { "--dryrun", "--noop", "--whatif" })
        {
            var harness = new HostHarness();
            harness.Host.AddTask<Pack>().AddTask<Lint>();

            harness.Run("--target=Pack", flag).ShouldBe(0, harness.Error);

            harness.Journal.Entries.ShouldBeEmpty();
            var output = harness.Output;
            var positions = new[] { "Restore", "Lint", "Build", "Test", "Pack" }.Select(t => output.IndexOf($". {t}", StringComparison.Ordinal)).ToList();
            positions.ShouldAllBe(p => p >= 0, output);
            positions.ShouldBeInOrder(SortDirection.Ascending, output);
        }
    }

    [Fact]
    public void Tree_shows_each_task_with_its_dependencies_and_runs_none()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Pack>().AddTask<Lint>();

        harness.Run("--tree").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBeEmpty();
        var lines = harness.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var packAt = lines.IndexOf("Pack");
        packAt.ShouldBeGreaterThanOrEqualTo(0, harness.Output);
        lines[packAt + 1].ShouldEndWith("Test");
        lines[packAt + 2].ShouldEndWith("Build");
        lines.Skip(packAt + 3).Take(2).ShouldContain(l => l.EndsWith("Restore", StringComparison.Ordinal));
        lines.Skip(packAt + 3).Take(3).ShouldContain(l => l.EndsWith("Lint", StringComparison.Ordinal));
    }

    [Fact]
    public void Description_lists_tasks_with_their_descriptions_and_runs_none()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Pack>().AddTask<Lint>();

        harness.Run("--description").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBeEmpty();
        harness.Output.ShouldMatch(@"Restore\s+Restore packages");
        harness.Output.ShouldMatch(@"Test\s+Run the unit tests");
    }
}
