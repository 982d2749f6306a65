using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Deploys to one environment exactly what is live in another: the same package version, checked against the same
/// SHA-512 that the source environment's ledger row recorded. Its arguments are checked before any task runs
/// (see <see cref="Arguments.TargetArgumentTable"/>).
/// </summary>
[TaskName("Promote")]
[TaskDescription("Deploy what is live in one environment to another (--from=staging --to=production [--approve=true] [--force] [--watch=0s])")]
public sealed class Promote : AsyncFrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override Task RunAsync(RecipeContext context) =>
        DeploymentRun.RunAsync(context, DeployArguments.Promotion(context), "Promoting");
}
