using Cake.Core.Diagnostics;
using Recipes.Hosting;
using Recipes.Pipeline.Arguments;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Rebuilds an environment's hosts (or the one named by <c>--host</c>) from the ledger's live release and the feed
/// alone: a host wiped clean, drifted, or new in place of a lost one serves the live digest again.
/// </summary>
[TaskName("Reprovision")]
[TaskDescription("Rebuild hosts of an environment from the ledger's live release and the feed (--environment=NAME [--host=ADDRESS])")]
public sealed class Reprovision : AsyncFrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var environment = ReleaseArguments.Environment(context, "Reprovision");
        DeployArguments.RequireSecrets(environment);
        var host = TargetArgumentTable.Host.Value(context.Arguments);
        var lines = await DeployArguments.Deployment(context).ReprovisionAsync(environment, context.OpenFeed(), host, Environment.UserName, CancellationToken.None);
        context.Log.Information("{0}: {1} host(s) rebuilt", environment.Name, lines.Count);
    }
}
