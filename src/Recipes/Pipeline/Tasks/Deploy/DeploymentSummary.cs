using System.Globalization;
using Recipes.Deployment;
using Recipes.Deployment.Local;

namespace Recipes.Pipeline.Tasks;

/// <summary>What a deployment adds to the run summary.</summary>
internal static class DeploymentSummary
{
    public static void Add(RecipeContext context, DeploymentEnvironment environment, DeploymentResult result)
    {
        context.Summary.Set($"Live in {environment.Name}", string.Create(CultureInfo.InvariantCulture,
            $"{environment.Artifact} {result.Version} on http://127.0.0.1:{environment.Port}/ (ledger #{result.LedgerId})"));
        if (result.SwitchTime is { } switchTime)
        {
            context.Summary.Set("Traffic switch", string.Create(CultureInfo.InvariantCulture, $"{switchTime.TotalMilliseconds:0} ms"));
        }
    }
}
