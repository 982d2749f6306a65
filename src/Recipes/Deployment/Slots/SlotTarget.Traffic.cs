using Recipes.Deployment.Routing;
using Recipes.Deployment.Watch;

namespace Recipes.Deployment.Slots;

/// <summary>Slot targets route every release through the environment's router, which counts its traffic per destination.</summary>
internal partial class SlotTarget : IReleaseTraffic
{
    async Task<TrafficReading?> IReleaseTraffic.ReadTrafficAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var router = Router(environment);
        if (router.RunningPid() is null)
        {
            return null;
        }

        using var client = RouterClient.ForStateDirectory(router.StateDirectory);
        var main = (await client.GetConfigAsync(cancellationToken))?.Destinations.OrderByDescending(d => d.Weight).FirstOrDefault();
        if (main is null)
        {
            return null;
        }

        var metrics = await client.GetMetricsAsync(cancellationToken);
        return new TrafficReading(main.Name, metrics.ToDictionary(m => m.Name, StringComparer.Ordinal));
    }
}
