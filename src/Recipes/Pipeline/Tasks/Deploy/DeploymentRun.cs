using Cake.Core.Diagnostics;
using Recipes.Deployment;
using Recipes.Pipeline.Arguments;

namespace Recipes.Pipeline.Tasks;

/// <summary>Runs a deployment request for Deploy and Promote, which differ only in where the version and digest come from.</summary>
internal static class DeploymentRun
{
    public static async Task RunAsync(RecipeContext context, DeploymentRequest request, string verb)
    {
        context.Log.Information("{0} {1} {2} (SHA-512 {3}…) to {4} ({5})",
            verb, request.Environment.Artifact, request.Version, request.Digest[..Math.Min(12, request.Digest.Length)], request.Environment.Name, request.Environment.Strategy.Kind);
        await DeployArguments.Deployment(context).DeployAsync(request with { WatchFor = TargetArgumentTable.Watch.Value(context.Arguments) }, CancellationToken.None);
    }
}
