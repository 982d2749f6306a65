using Cake.Core.Diagnostics;
using Recipes.Deployment;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Prints the deployment ledger's rows for one environment, newest first: deployments, releases, rollbacks and
/// promotions, then what the environment's target adds (such as the releases it keeps for rollbacks). Needs only the
/// environments file and the state folder, no solution.
/// </summary>
[TaskName("History")]
[TaskDescription("Show an environment's deployments and releases, newest first (--environment=NAME, --limit=N, default 20)")]
public sealed class ShowHistory : FrostingTask<RecipeContext>
{
    private DeploymentEnvironment? _environment;
    private int _limit;

    /// <summary>
    /// Checks the arguments before the task starts, so that a wrong one is a configuration error (one line, exit
    /// code 2) rather than a failed task.
    /// </summary>
    /// <exception cref="Settings.RecipeConfigurationException">An argument is missing or wrong, or the environments file is.</exception>
    public override bool ShouldRun(RecipeContext context)
    {
        _environment = ReleaseArguments.Environment(context, "History");
        _limit = ReleaseArguments.Limit(context);
        return true;
    }

    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var environment = _environment ?? throw new InvalidOperationException("ShouldRun checks the arguments before Run.");
        var limit = _limit;

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
