using System.Text.RegularExpressions;
using Recipes.Insight;
using Recipes.Pipeline;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;

namespace Recipes.Tests.Insight;

/// <summary>The Report target through the host, on <see cref="ThirtyDayLedger"/>'s ledger and <see cref="ReportArtifacts"/>.</summary>
public sealed class ReportTargetTests : IDisposable
{
    private readonly ThirtyDayLedger _history = new();
    private readonly TempDirectory _repository = new("recipes-report");

    public ReportTargetTests()
    {
        File.WriteAllText(_repository.Combine("environments.yml"), """
            environments:
              - name: staging
                artifact: Acme.Shop.Api
                port: 5081
              - name: production
                artifact: Acme.Shop.Api
                port: 5082
            """);
        ReportArtifacts.Write(Artifacts);
    }

    private string Artifacts => _repository.Combine("artifacts");

    public void Dispose()
    {
        _history.Dispose();
        _repository.Dispose();
    }

    [Fact]
    public void Report_writes_one_self_contained_page_with_the_run_tests_artifacts_and_history()
    {
        var result = Run("--target=Report", "--since=2026-06-01");

        result.Exit.ShouldBe(0, result.Error);
        var page = File.ReadAllText(Path.Combine(Artifacts, "report", "index.html"));
        result.Output.ShouldContain($"Report of 'production' written to {Path.Combine(Artifacts, "report", "index.html")}");
        // Nothing is loaded from anywhere: no src or href attribute, no url() in the style, and a policy forbidding it.
        Regex.IsMatch(page, "\\s(src|href)\\s*=", RegexOptions.IgnoreCase).ShouldBeFalse();
        page.ShouldNotContain("url(");
        page.ShouldContain("content=\"default-src 'none';");
        foreach (var chart in new[] { "frequency", "lead-time", "failure-rate", "recovery", "history", "run" })
        {
            page.ShouldContain($"data-chart=\"{chart}\"");
        }

        page.ShouldContain("<td>Acme.Shop.Tests</td><td>5</td><td>1</td><td>2</td><td>82.3%</td>");
        page.ShouldContain(ReportArtifacts.ApiDigest);
        page.ShouldContain("<title>FastTests: Executed, 45.0 s</title>");
        page.ShouldContain("3/7 (43%)");
        // The host's folder does not hold the test repository's commits: the page says so instead of a lead time.
        page.ShouldContain("Not computed: lead time of 1.1.0 (deployment 2)");
    }

    [Fact]
    public void A_read_only_run_keeps_the_pipeline_runs_record()
    {
        var before = File.ReadAllText(Path.Combine(Artifacts, RunRecord.FileName));

        Run("--target=Report").Exit.ShouldBe(0);
        Run("--target=Metrics").Exit.ShouldBe(0);

        File.ReadAllText(Path.Combine(Artifacts, RunRecord.FileName)).ShouldBe(before);
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        var exit = harness.Run([
            $"--environments-file={_repository.Combine("environments.yml")}", $"--state-directory={_history.StateDirectory}",
            $"--artifacts={Artifacts}", .. arguments]);
        return (exit, harness.Output, harness.Error);
    }
}
