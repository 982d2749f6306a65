using Recipes.Testing;

namespace Recipes.Tests.Testing;

public sealed class TestCountsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("recipes-trx-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Counts_come_from_the_trx_counters_with_errors_as_failures_and_not_executed_as_skipped()
    {
        var path = Path.Combine(_root, "run.trx");
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
    public void A_trx_without_counters_is_an_error_naming_the_file()
    {
        var path = Path.Combine(_root, "broken.trx");
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
