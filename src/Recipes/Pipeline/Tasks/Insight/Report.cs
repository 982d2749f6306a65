using Cake.Core.Diagnostics;
using Recipes.Hosting;
using Recipes.Insight;

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
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        // The host checked these before any task ran (TargetChecks.Insight).
        var environment = InsightArguments.Environment(context, "Report");
        var period = InsightArguments.Period(context);
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
