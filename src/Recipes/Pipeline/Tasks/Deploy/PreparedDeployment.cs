using Cake.Core.Diagnostics;
using Recipes.Deployment;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// A deployment whose arguments were checked in a task's ShouldRun (so that a wrong one exits with code 2), run by
/// the task's RunAsync: Deploy and Promote differ only in where the version and digest come from.
/// </summary>
internal sealed record PreparedDeployment(DeploymentRequest Request, Deployer Deployment)
{
    public async Task RunAsync(RecipeContext context, string verb)
    {
        var request = Request;
        context.Log.Information("{0} {1} {2} (SHA-512 {3}…) to {4} ({5})",
            verb, request.Environment.Artifact, request.Version, request.Digest[..Math.Min(12, request.Digest.Length)], request.Environment.Name, request.Environment.Strategy.Kind);
        var result = await Deployment.DeployAsync(request, CancellationToken.None);
        DeploymentSummary.Add(context, request.Environment, result);
    }
}
