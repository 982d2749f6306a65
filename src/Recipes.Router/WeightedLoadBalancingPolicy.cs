using Microsoft.AspNetCore.Http;
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

        var total = 0;
        foreach (var destination in availableDestinations)
        {
            total += WeightOf(destination);
        }

        if (total <= 0)
        {
            return null;
        }

        var pick = Random.Shared.Next(total);
        foreach (var destination in availableDestinations)
        {
            pick -= WeightOf(destination);
            if (pick < 0)
            {
                return destination;
            }
        }

        return null;
    }

    private static int WeightOf(DestinationState destination) =>
        destination.Model.Config.Metadata is { } metadata
        && metadata.TryGetValue(WeightKey, out var text)
        && int.TryParse(text, out var weight) && weight > 0
            ? weight
            : 0;
}
