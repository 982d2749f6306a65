using System.Globalization;
using Recipes.Deployment;
using Recipes.Pipeline.Arguments;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// A version that a Rollback took out of an environment goes back in only on purpose: Deploy and Promote of it need
/// <c>--force</c>, so that a rolled-back release is not redeployed by a pipeline that merely ran again.
/// </summary>
internal static class RolledBackVersion
{
    /// <summary>Refuses <paramref name="version"/> when its newest deployment to <paramref name="environment"/> (failed attempts aside) was rolled back and <c>--force</c> is not given.</summary>
    /// <exception cref="RecipeConfigurationException">It was rolled back.</exception>
    public static void Require(RecipeContext context, DeploymentEnvironment environment, string version, string target)
    {
        // No ledger yet: nothing was ever rolled back, and a refused deployment must not create one.
        if (TargetArgumentTable.Force.Value(context.Arguments) || !File.Exists(Path.Combine(context.StateDirectory, RecipeContext.LedgerFileName)))
        {
            return;
        }

        var history = context.OpenLedger().History(environment.Name, int.MaxValue);
        var latest = history.FirstOrDefault(row => row.Version == version && row.Kind != DeploymentKind.Release && row.Outcome is DeploymentOutcome.Succeeded or DeploymentOutcome.RolledBack);
        if (latest is not { Outcome: DeploymentOutcome.RolledBack })
        {
            return;
        }

        // History is newest first: the first rollback after the rolled-back row is the one that undid it.
        var undo = history.LastOrDefault(row => row.Kind == DeploymentKind.Rollback && row.Id > latest.Id && row.Outcome != DeploymentOutcome.Failed);
        var how = undo is null
            ? $"(ledger #{latest.Id})"
            : string.Create(CultureInfo.InvariantCulture, $"on {undo.Started.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {undo.Who}, back to {undo.Version} (ledger #{undo.Id})");
        throw new RecipeConfigurationException(
            $"{environment.Artifact} {version} was rolled back in {environment.Name} {how}; {target} it again only on purpose, with --force.");
    }
}
