using Recipes.Deployment;
using Recipes.Insight;
using Recipes.Pipeline.Arguments;

namespace Recipes.Pipeline.Tasks;

/// <summary>What Metrics and Report make of their arguments (declared in <see cref="TargetArgumentTable"/>): the environment and the period.</summary>
internal static class InsightArguments
{
    /// <summary>The environment named by --environment; else the one named production, else the last declared (the end of the promotion path).</summary>
    public static string Environment(RecipeContext context, string target)
    {
        if (TargetArgumentTable.InsightEnvironment.IsGiven(context.Arguments))
        {
            return ReleaseArguments.Environment(context, target).Name;
        }

        var names = context.LoadEnvironments().Environments.Select(e => e.Name).ToList();
        _ = context.StateDirectory;
        return names.Contains("production", StringComparer.Ordinal) ? "production" : names[^1];
    }

    public static MetricsPeriod Period(RecipeContext context) =>
        SinceText.Period(TargetArgumentTable.Since.Text(context.Arguments), TimeProvider.System.GetUtcNow());

    /// <summary>The ledger's rows by environment, or none when nothing was ever deployed (without creating a ledger).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<DeploymentRecord>> Rows(RecipeContext context)
    {
        if (!File.Exists(Path.Combine(context.StateDirectory, RecipeContext.LedgerFileName)))
        {
            return new Dictionary<string, IReadOnlyList<DeploymentRecord>>();
        }

        var ledger = context.OpenLedger();
        return ledger.Environments().ToDictionary(name => name, ledger.All, StringComparer.Ordinal);
    }
}
