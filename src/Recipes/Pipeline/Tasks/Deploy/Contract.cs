using Cake.Core.Diagnostics;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Runs the pending contract scripts (drops, renames, NOT NULL) of the release that runs in an environment, once no
/// slot runs a release older than the one that expanded the schema for them; recorded in the ledger.
/// </summary>
[TaskName("Contract")]
[TaskDescription("Apply an environment's pending contract migrations once no older release runs (--environment=NAME)")]
public sealed class Contract : AsyncFrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var environment = ReleaseArguments.Environment(context, "Contract");
        var result = await DeployArguments.Deployment(context).ContractAsync(environment, context.OpenFeed(), Environment.UserName, CancellationToken.None);
        context.Log.Information("{0}: {1}{2}", environment.Name, result.Details, result.LedgerId > 0 ? $" (ledger #{result.LedgerId})" : string.Empty);
    }
}
