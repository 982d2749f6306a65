using Recipes.Deployment.Local;
using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Slots;

internal partial class SlotTarget
{
    async Task<TargetStatus> IDeploymentTarget.StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var router = Router(environment);
        var (pid, route) = await RouteAsync(router, cancellationToken);
        return Describe(environment, pid, route, router.Supervision(), _slots.Status(environment.Name));
    }

    /// <summary>The environment's router process and the route in force, or nulls when it does not run.</summary>
    protected static async Task<(int? Pid, RouteConfig? Route)> RouteAsync(EnvironmentRouter router, CancellationToken cancellationToken)
    {
        var pid = router.RunningPid();
        if (pid is null)
        {
            return (null, null);
        }

        using var client = RouterClient.ForStateDirectory(router.StateDirectory);
        return (pid, await client.GetConfigAsync(cancellationToken));
    }

    /// <summary>The target-neutral status of slots behind a router: each release with its share of traffic and health, the router in the headline.</summary>
    public static TargetStatus Describe(DeploymentEnvironment environment, int? routerPid, RouteConfig? route, SupervisionStatus? routerSupervision, IReadOnlyList<SlotReport> slots)
    {
        var headline = routerPid is { } pid ? $"router on http://127.0.0.1:{environment.Port}/ (pid {pid})" : $"router stopped (port {environment.Port})";
        var lines = routerSupervision is { } supervision ? [$"router {supervision}"] : Array.Empty<string>();
        var releases = slots.Select(slot =>
        {
            var running = slot.State == SlotState.Running;
            var release = slot.Instance.Release;
            var weight = running ? route?.Destinations.FirstOrDefault(d => d.Address.Port == slot.Instance.Port)?.Weight : null;
            var mirrored = running && route?.Mirror is { } mirror && mirror.Address.Port == slot.Instance.Port;
            return new ReleaseStatus(slot.Instance.Slot, release.Id, release.Version, release.ShortDigest, slot.State, slot.Health, slot.Where, weight, mirrored);
        }).ToList();
        return new TargetStatus(headline, releases, lines);
    }
}
