namespace Recipes.Deployment.Routing;

/// <summary>
/// A release the router forwards to: its name (such as "blue"), its loopback address and its share of the traffic.
/// </summary>
/// <param name="Name">Unique within the route config; the router reports metrics under it.</param>
/// <param name="Address">Where the release listens, such as http://127.0.0.1:6001.</param>
/// <param name="Weight">0 to 100; traffic is split in proportion to the weights, and 0 gets none.</param>
public sealed record RouteDestination(string Name, Uri Address, int Weight = 0);

/// <summary>
/// What the router of one environment does with its public port: the destinations with their weights, and an
/// optional mirror (shadow) destination that receives copies of GET and HEAD requests for a dark launch.
/// Applied as a whole: the router never serves a mix of the old and the new config.
/// </summary>
/// <param name="Destinations">At least one, with at least one positive weight.</param>
/// <param name="Mirror">The shadow destination, or null for none; its weight is ignored.</param>
public sealed record RouteConfig(IReadOnlyList<RouteDestination> Destinations, RouteDestination? Mirror = null)
{
    /// <summary>All traffic to one destination named <paramref name="name"/> at <paramref name="address"/> (blue-green after the switch).</summary>
    public static RouteConfig AllTo(string name, Uri address) => new([new RouteDestination(name, address, 100)]);
}

/// <summary>
/// One destination's traffic as the router measured it since it started: requests, 5xx responses, p95 latency over a
/// sliding window (the latest responses of the last minute), and for a mirror, the copies sent, how many answered with
/// a status code other than the live response's, and how many were dropped because too many copies were in flight.
/// </summary>
public sealed record DestinationMetrics(
    string Name,
    long Requests,
    long ServerErrors,
    double? P95LatencyMs,
    long Mirrored,
    long MirrorMismatches,
    long MirrorDropped)
{
    /// <summary>The fraction of requests answered with a 5xx status, 0 when there were none.</summary>
    public double ServerErrorRate => Requests == 0 ? 0 : (double)ServerErrors / Requests;
}
