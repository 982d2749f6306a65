using Cake.Core.Diagnostics;
using Recipes.Deployment;
using Recipes.Hosting;
using Recipes.Pipeline.Arguments;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Prints the deployment ledger's rows for one environment, newest first: deployments, releases, rollbacks and
/// promotions, then what the environment's target adds (such as the releases it keeps for rollbacks). Needs only the
/// environments file and the state folder, no solution.
/// </summary>
[TaskName("History")]
[TaskDescription("Show an environment's deployments and releases, newest first (--environment=NAME, --limit=N, default 20)")]
public sealed class History : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var environment = ReleaseArguments.Environment(context, "History");
        var limit = TargetArgumentTable.Limit.Value(context.Arguments);

        // Reading the history of a repository that never deployed should not create a ledger.
        var records = File.Exists(Path.Combine(context.StateDirectory, RecipeContext.LedgerFileName))
            ? context.OpenLedger().History(environment.Name, limit)
            : [];
        foreach (var line in HistoryTable.Lines(environment.Name, records))
        {
            context.Log.Information("{0}", line);
        }

        foreach (var line in DeployArguments.Deployment(context).Target(environment).HistoryLines(environment))
        {
            context.Log.Information("{0} ({1} target): {2}", environment.Name, environment.Target, line);
        }
    }
}
