using Recipes.Testing;

namespace Recipes.Tests.Testing;

public sealed class TestCountsTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-trx");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Counts_come_from_the_trx_counters_with_errors_as_failures_and_not_executed_as_skipped()
    {
        var path = Path.Combine(_temp.Path, "run.trx");
        File.WriteAllText(path, """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <ResultSummary outcome="Failed">
                <Counters total="10" executed="9" passed="6" failed="2" error="1" timeout="0" aborted="0" inconclusive="0" notExecuted="1" />
              </ResultSummary>
            </TestRun>
            """);

        TestCounts.FromTrx(path).ShouldBe(new TestCounts(10, 6, 3, 1));
    }

    [Fact]
    public void A_skipped_xunit_test_counts_as_skipped_though_the_counters_leave_it_out()
    {
        // vstest's shape for xunit [Fact(Skip=...)]: outcome NotExecuted, yet counters say executed=2 notExecuted=0.
        var path = Path.Combine(_temp.Path, "Lib.Tests_net10.0_20261130.trx");
        File.WriteAllText(path, """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
                <UnitTestResult executionId="a" testId="1" testName="Lib.Tests.Adds" outcome="Passed" />
                <UnitTestResult executionId="b" testId="2" testName="Lib.Tests.Subtracts" outcome="Passed" />
                <UnitTestResult executionId="c" testId="3" testName="Lib.Tests.Later" outcome="NotExecuted">
                  <Output><StdOut>not yet</StdOut></Output>
                </UnitTestResult>
              </Results>
              <TestDefinitions>
                <UnitTest name="Lib.Tests.Adds" storage="/repo/tests/Lib.Tests/bin/Release/net10.0/Lib.Tests.dll" id="1" />
              </TestDefinitions>
              <ResultSummary outcome="Completed">
                <Counters total="3" executed="2" passed="2" failed="0" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
              </ResultSummary>
            </TestRun>
            """);

        var file = TrxFile.Load(path);

        file.Counts.ShouldBe(new TestCounts(3, 2, 0, 1));
        file.Framework.ShouldBe("net10.0");
        TestCounts.FromTrx(path).ToString().ShouldBe("2 passed, 0 failed, 1 skipped");
    }

    [Fact]
    public void A_stage_is_described_by_its_total_and_each_project_and_framework()
    {
        var summary = new TestRunSummary();
        summary.Add("FastTests", new TestCounts(6, 4, 0, 2));
        summary.AddPart("FastTests", "Lib.Tests net10.0", new TestCounts(3, 2, 0, 1));
        summary.AddPart("FastTests", "Lib.Tests net8.0", new TestCounts(3, 2, 0, 1));

        summary.Describe("FastTests").ShouldBe(
            "4 passed, 0 failed, 2 skipped (Lib.Tests net10.0: 2 passed, 0 failed, 1 skipped; Lib.Tests net8.0: 2 passed, 0 failed, 1 skipped)");

        var single = new TestRunSummary();
        single.Add("SlowTests", new TestCounts(1, 1, 0, 0));
        single.AddPart("SlowTests", "Lib.Tests net10.0", new TestCounts(1, 1, 0, 0));
        single.Describe("SlowTests").ShouldBe("1 passed, 0 failed, 0 skipped", "one part is the total");
    }

    [Fact]
    public void A_trx_without_counters_is_an_error_naming_the_file()
    {
        var path = Path.Combine(_temp.Path, "broken.trx");
        File.WriteAllText(path, "<TestRun />");

        Should.Throw<RecipeException>(() => TestCounts.FromTrx(path)).Message.ShouldContain(path);
    }

    [Fact]
    public void Counts_add_up_per_stage()
    {
        var summary = new TestRunSummary();
        summary.Add("FastTests", new TestCounts(3, 3, 0, 0));
        summary.Add("FastTests", new TestCounts(2, 1, 1, 0));

        summary.ByStage["FastTests"].ShouldBe(new TestCounts(5, 4, 1, 0));
        summary.ByStage["FastTests"].ToString().ShouldBe("4 passed, 1 failed, 0 skipped");
    }
}
