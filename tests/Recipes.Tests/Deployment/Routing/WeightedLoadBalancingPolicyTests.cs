using Microsoft.AspNetCore.Http;
using Recipes.Router;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Recipes.Tests.Deployment.Routing;

/// <summary>
/// The router's weighted pick on YARP's own state objects, including the moment inside a config change when the
/// destinations' models are updated one by one but the cluster's config is not swapped yet.
/// </summary>
public sealed class WeightedLoadBalancingPolicyTests
{
    private readonly WeightedLoadBalancingPolicy _policy = new();

    [Fact]
    public void Every_request_goes_to_the_destination_the_cluster_config_weights_at_100()
    {
        var (cluster, destinations) = Cluster(("blue", 0), ("green", 100));

        Enumerable.Range(0, 200).Select(_ => Pick(cluster, destinations)).ShouldAllBe(name => name == "green");
    }

    [Fact]
    public void Halfway_through_a_blue_green_switch_a_request_still_gets_a_destination()
    {
        // YARP has given blue its new model (weight 0) and not yet green (still 0); the cluster config still says
        // blue 100. Reading the destinations' models, the total is 0 and the request got a 503.
        var (cluster, destinations) = Cluster(clusterWeights: [("blue", 100), ("green", 0)], destinationWeights: [("blue", 0), ("green", 0)]);

        Enumerable.Range(0, 200).Select(_ => Pick(cluster, destinations)).ShouldAllBe(name => name == "blue");
    }

    [Fact]
    public void A_destination_the_cluster_config_does_not_list_yet_is_routed_by_its_own_weight_rather_than_refused()
    {
        var (cluster, destinations) = Cluster(clusterWeights: [("blue", 0)], destinationWeights: [("blue", 0), ("green", 100)]);

        Pick(cluster, destinations).ShouldBe("green");
    }

    [Fact]
    public void No_destination_with_weight_gives_no_destination()
    {
        var (cluster, destinations) = Cluster(("blue", 0), ("green", 0));

        _policy.PickDestination(new DefaultHttpContext(), cluster, destinations).ShouldBeNull();
    }

    private string? Pick(ClusterState cluster, IReadOnlyList<DestinationState> destinations) =>
        _policy.PickDestination(new DefaultHttpContext(), cluster, destinations)?.DestinationId;

    private static (ClusterState Cluster, IReadOnlyList<DestinationState> Destinations) Cluster(params (string Name, int Weight)[] clusterWeights) =>
        Cluster(clusterWeights, clusterWeights);

    private static (ClusterState Cluster, IReadOnlyList<DestinationState> Destinations) Cluster(
        (string Name, int Weight)[] clusterWeights, (string Name, int Weight)[] destinationWeights)
    {
        var config = new ClusterConfig
        {
            ClusterId = RouteTable.ClusterId,
            LoadBalancingPolicy = WeightedLoadBalancingPolicy.PolicyName,
            Destinations = clusterWeights.ToDictionary(d => d.Name, d => Destination(d.Weight)),
        };
        var cluster = new ClusterState(RouteTable.ClusterId, new ClusterModel(config, new HttpMessageInvoker(new HttpClientHandler())));
        var destinations = destinationWeights
            .Select(d => new DestinationState(d.Name, new DestinationModel(Destination(d.Weight))))
            .ToArray();
        return (cluster, destinations);
    }

    private static DestinationConfig Destination(int weight) => new()
    {
        Address = "http://127.0.0.1:1/",
        Metadata = new Dictionary<string, string> { [WeightedLoadBalancingPolicy.WeightKey] = weight.ToString() },
    };
}
