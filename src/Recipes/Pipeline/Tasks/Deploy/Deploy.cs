using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Deploys the artifact that passed the pipeline to one environment by its strategy: the exact package from the
/// feed, checked against the manifest's SHA-512, never rebuilt. Needs no solution and does not build. Its arguments
/// are checked before any task runs (see <see cref="Arguments.TargetArgumentTable"/>).
/// </summary>
[TaskName("Deploy")]
[TaskDescription("Deploy the published artifact to an environment (--environment=NAME [--deploy-version=V] [--manifest=PATH] [--lock-timeout=5m] [--approve=true] [--force] [--watch=0s])")]
public sealed class Deploy : AsyncFrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override Task RunAsync(RecipeContext context) =>
        DeploymentRun.RunAsync(context, DeployArguments.Deployment(context, ReleaseArguments.Environment(context, "Deploy")), "Deploying");
}
