using System.Text.Json;
using Recipes.Pipeline;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;

namespace Recipes.Tests.Insight;

/// <summary>
/// The Metrics target through the host, on <see cref="ThirtyDayLedger"/>'s ledger. The host's repository is the test
/// process's folder, which does not hold the test repository's commits: lead time must say so rather than guess.
/// </summary>
public sealed class MetricsTargetTests : IDisposable
{
    private const string Environments = """
        environments:
          - name: staging
            artifact: Acme.Shop.Api
            port: 5081
          - name: production
            artifact: Acme.Shop.Api
            port: 5082
        """;

    private readonly ThirtyDayLedger _history = new();
    private readonly TempDirectory _repository = new("recipes-metrics");

    public MetricsTargetTests() => File.WriteAllText(_repository.Combine("environments.yml"), Environments);

    public void Dispose()
    {
        _history.Dispose();
        _repository.Dispose();
    }

    [Fact]
    public void Metrics_prints_the_table_of_production_and_says_what_it_could_not_compute()
    {
        var result = Run("--target=Metrics", "--since=2026-06-01");

        result.Exit.ShouldBe(0, result.Error);
        result.Output.ShouldContain("Delivery metrics of 'production' from 2026-06-01 00:00Z");
        result.Output.ShouldContain("3/7 (43%)");
        result.Output.ShouldContain("median 3h (3 outages)");
        result.Output.ShouldContain("Not computed: lead time of 1.1.0 (deployment 2): commit " + _history.Sha("c0")[..12] + " is not in the repository at ");
    }

    [Fact]
    public void Metrics_as_json_writes_a_file_tools_can_read()
    {
        var result = Run("--target=Metrics", "--environment=production", "--since=2026-06-01", "--format=json");

        result.Exit.ShouldBe(0, result.Error);
        using var document = JsonDocument.Parse(File.ReadAllText(_repository.Combine("artifacts", "metrics", "production.json")));
        var current = document.RootElement.GetProperty("current");
        current.GetProperty("changeFailureRate").GetProperty("failed").GetInt32().ShouldBe(3);
        current.GetProperty("changeFailureRate").GetProperty("deployments").GetInt32().ShouldBe(7);
        current.GetProperty("changeFailureRate").GetProperty("level").GetString().ShouldBe("low");
        current.GetProperty("recoveryTime").GetProperty("medianSeconds").GetDouble().ShouldBe(3 * 3600);
        document.RootElement.GetProperty("trend").GetProperty("changeFailureRate").GetString().ShouldBe("worse");
        document.RootElement.GetProperty("notComputed").GetArrayLength().ShouldBe(6);
    }

    [Theory]
    [InlineData("--since=ninety", "--since is 'ninety'; give how far back to look, such as 30d, 12w or 90d, or a past date such as 2026-01-31.")]
    [InlineData("--format=xml", "--format=xml is not supported; supported: table, json.")]
    public void A_wrong_argument_is_one_line_and_exit_code_2(string argument, string message)
    {
        var result = Run("--target=Metrics", argument);

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain(message);
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        var exit = harness.Run([
            $"--environments-file={_repository.Combine("environments.yml")}", $"--state-directory={_history.StateDirectory}",
            $"--artifacts={_repository.Combine("artifacts")}", .. arguments]);
        return (exit, harness.Output, harness.Error);
    }
}
