using Cake.Core.Diagnostics;
using Recipes.Hosting;
using Recipes.Insight;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Writes <c>artifacts/report/index.html</c>: one self-contained page with the four keys and their weekly trend, the
/// deployment history with failures and rollbacks marked, each version's way to production, and the last pipeline
/// run (tasks as a timeline, tests per project, coverage, artifacts with digests). History comes from the ledger,
/// so no earlier report has to be kept. Needs no solution.
/// </summary>
[TaskName("Report")]
[TaskDescription("Write artifacts/report/index.html from the ledger and the artifacts folder (--environment=NAME, default production; --since=90d)")]
public sealed class Report : FrostingTask<RecipeContext>
{
    private (string Environment, MetricsPeriod Period)? _request;

    /// <summary>Checks the arguments before the task starts, so that a wrong one is a configuration error (one line, exit code 2).</summary>
    /// <exception cref="RecipeConfigurationException">An argument is wrong, or the environments file is.</exception>
    public override bool ShouldRun(RecipeContext context)
    {
        _request = (InsightArguments.Environment(context, "Report"), InsightArguments.Period(context));
        return true;
    }

    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var (environment, period) = _request ?? throw new InvalidOperationException("ShouldRun checks the arguments before Run.");
        var rows = InsightArguments.Rows(context);
        var declared = context.LoadEnvironments().Environments.Select(e => e.Name).ToList();
        var data = ReportData.Collect(
            rows, [.. declared, .. rows.Keys.Except(declared, StringComparer.Ordinal)], environment, period,
            new GitCommitHistory(context.RepositoryRoot), context.Artifacts.Root, TimeProvider.System.GetUtcNow());
        var file = Path.Combine(context.Artifacts.Root, "report", "index.html");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.WriteAllText(file, ReportPage.Write(data));
        context.Log.Information("Report of '{0}' written to {1}", environment, file);
        context.Summary.Set("Report", file);
    }
}
