using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Watch;

/// <summary>
/// A deployment target whose releases take their traffic through a router that counts it per destination: the
/// deployer's watch reads it after a deployment. A target without it is not watched (it says so in one line).
/// </summary>
internal interface IReleaseTraffic
{
    /// <summary>The destination that takes most traffic now and every destination's counters; null while nothing routes (no router runs).</summary>
    /// <exception cref="RecipeException">The router runs but does not answer.</exception>
    Task<TrafficReading?> ReadTrafficAsync(DeploymentEnvironment environment, CancellationToken cancellationToken);
}

/// <summary>What the router counted, read at one moment.</summary>
/// <param name="LiveDestination">The destination that takes most traffic.</param>
/// <param name="Destinations">Every destination's counters since the router started, by name.</param>
internal sealed record TrafficReading(string LiveDestination, IReadOnlyDictionary<string, DestinationMetrics> Destinations);
