using Recipes.Deployment;
using Recipes.Insight;

namespace Recipes.Pipeline.Tasks;

/// <summary>The arguments Metrics and Report share: <c>--environment</c> (default production) and <c>--since</c> (default 90d).</summary>
internal static class InsightArguments
{
    /// <summary>The environment named by --environment; else the one named production, else the last declared (the end of the promotion path).</summary>
    public static string Environment(RecipeContext context, string target)
    {
        if (ReleaseArguments.Text(context, "environment") is not null)
        {
            return ReleaseArguments.Environment(context, target).Name;
        }

        var names = context.LoadEnvironments().Environments.Select(e => e.Name).ToList();
        _ = context.StateDirectory;
        return names.Contains("production", StringComparer.Ordinal) ? "production" : names[^1];
    }

    public static MetricsPeriod Period(RecipeContext context) =>
        SinceText.Period(ReleaseArguments.Text(context, "since"), TimeProvider.System.GetUtcNow());

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
