using Cake.Core.Diagnostics;
using Recipes.Hosting;
using Recipes.Insight;
using Recipes.Pipeline.Arguments;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Prints DORA's four keys for one environment from the deployment ledger and the repository's commits: deployment
/// frequency, lead time for changes, change failure rate and failed-deployment recovery time, each with its 2024
/// level and its trend against the period before. Needs no solution.
/// </summary>
[TaskName("Metrics")]
[TaskDescription("Show DORA's four keys from the ledger (--environment=NAME, default production; --since=90d; --format=table|json)")]
public sealed class Metrics : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        // The host checked these before any task ran (TargetChecks.Insight).
        var environment = InsightArguments.Environment(context, "Metrics");
        var period = InsightArguments.Period(context);
        var json = TargetArgumentTable.Format.Value(context.Arguments) == "json";

        var rows = InsightArguments.Rows(context).GetValueOrDefault(environment) ?? [];
        var commits = new GitCommitHistory(context.RepositoryRoot);
        var current = DeliveryMetrics.Compute(rows, period, commits);
        var previous = DeliveryMetrics.Compute(rows, period.Previous, commits);
        if (json)
        {
            // Tools read the file: the console also carries the run's own lines.
            var file = Path.Combine(context.Artifacts.Root, "metrics", environment + ".json");
            var document = MetricsOutput.ToJson(environment, current, previous);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            AtomicFile.WriteAllText(file, document);
            context.Log.Information("{0}", document);
            context.Log.Information("Written to {0}", file);
            return;
        }

        foreach (var line in MetricsOutput.Table(environment, current, previous))
        {
            context.Log.Information("{0}", line);
        }
    }
}
