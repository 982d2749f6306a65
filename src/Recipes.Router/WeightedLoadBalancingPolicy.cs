using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Recipes.Router;

/// <summary>
/// Picks a destination at random in proportion to the "weight" metadata of each destination; a destination with
/// weight 0 gets no traffic (blue-green keeps the idle slot in the cluster at 0, canary steps move the weights).
/// A request pinned by <see cref="DestinationPin"/> goes to its destination only (none when it is not in the route).
/// </summary>
public sealed class WeightedLoadBalancingPolicy : ILoadBalancingPolicy
{
    /// <summary>The policy name that cluster configs refer to.</summary>
    public const string PolicyName = "RecipesWeighted";

    /// <summary>The destination metadata key that holds the weight.</summary>
    public const string WeightKey = "weight";

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (DestinationPin.PinnedDestination(context) is { } pinned)
        {
            return availableDestinations.FirstOrDefault(destination => destination.DestinationId == pinned);
        }

        // Weights come from the cluster's config, one object YARP swaps in a single step. Each destination's own
        // model is swapped one after another while a config applies: read from those, a blue-green switch had an
        // instant where blue already said 0 and green still said 0, and a request in it got a 503.
        var weights = cluster.Model?.Config.Destinations;
        return Pick(availableDestinations, destination => WeightIn(weights, destination))
            // A destination the cluster's config does not list yet (just added, the cluster swap still to come):
            // route by the destinations' own weights rather than turn the request away.
            ?? Pick(availableDestinations, destination => Weight(destination.Model?.Config.Metadata));
    }

    private static DestinationState? Pick(IReadOnlyList<DestinationState> destinations, Func<DestinationState, int> weightOf)
    {
        var total = 0;
        foreach (var destination in destinations)
        {
            total += weightOf(destination);
        }

        if (total <= 0)
        {
            return null;
        }

        var pick = Random.Shared.Next(total);
        foreach (var destination in destinations)
        {
            pick -= weightOf(destination);
            if (pick < 0)
            {
                return destination;
            }
        }

        return null;
    }

    private static int WeightIn(IReadOnlyDictionary<string, DestinationConfig>? weights, DestinationState destination) =>
        weights is not null && weights.TryGetValue(destination.DestinationId, out var config) ? Weight(config.Metadata) : 0;

    private static int Weight(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(WeightKey, out var text) && int.TryParse(text, out var weight) && weight > 0
            ? weight
            : 0;
}
