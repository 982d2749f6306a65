using System.Globalization;
using Recipes.Hosting;

namespace Recipes.Deployment;

internal sealed partial class Deployer
{
    /// <summary>Where a deployment or rollback that ended well says what is live now; null when nothing reads it.</summary>
    public RunSummary? Summary { get; init; }

    /// <summary>Adds what is live in <paramref name="environment"/> and how long the traffic switch took to the run summary.</summary>
    private void Summarize(DeploymentEnvironment environment, DeploymentResult result)
    {
        if (Summary is null)
        {
            return;
        }

        Summary.Set($"Live in {environment.Name}", string.Create(CultureInfo.InvariantCulture,
            $"{environment.Artifact} {result.Version} on http://127.0.0.1:{environment.Port}/ (ledger #{result.LedgerId})"));
        if (result.SwitchTime is { } switchTime)
        {
            Summary.Set("Traffic switch", string.Create(CultureInfo.InvariantCulture, $"{switchTime.TotalMilliseconds:0} ms"));
        }
    }
}
