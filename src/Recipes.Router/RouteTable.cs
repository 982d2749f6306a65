using System.Diagnostics;
using System.Text.Json;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;

namespace Recipes.Router;

/// <summary>
/// The route in force. <see cref="Apply"/> swaps the whole YARP config in one step (InMemoryConfigProvider.Update):
/// requests already forwarded finish on the old config, new ones see only the new one. The applied document is
/// also written to <c>config.json</c> in the state folder, so a restarted router comes back with the same route.
/// </summary>
public sealed class RouteTable
{
    /// <summary>The YARP route and cluster ids; there is one of each per router (one router per environment).</summary>
    public const string RouteId = "public";
    public const string ClusterId = "release";

    private readonly Lock _applyGate = new();
    private readonly string _configFile;
    private InMemoryConfigProvider? _provider;
    private IProxyStateLookup? _state;
    private volatile ActiveRouteDocument? _active;

    public RouteTable(string stateDirectory) => _configFile = Path.Combine(stateDirectory, "config.json");

    /// <summary>The route in force, or null before the first config.</summary>
    public ActiveRouteDocument? Active => _active;

    /// <summary>The YARP config for no route: no routes, so requests fall through to the "no route" answer.</summary>
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Empty => ([], []);

    /// <summary>Connects the table to the proxy's config provider and applies the saved config, if any.</summary>
    public void Attach(InMemoryConfigProvider provider, IProxyStateLookup state, ILogger logger)
    {
        _provider = provider;
        _state = state;
        if (!File.Exists(_configFile))
        {
            return;
        }

        try
        {
            var saved = JsonSerializer.Deserialize<RouteDocument>(File.ReadAllText(_configFile), JsonSerializerOptions.Web);
            if (saved?.Validate() is null && saved is not null)
            {
                // The proxy has not started yet: it reads the provider's config when it does, so there is nothing to wait for.
                Apply(saved, waitUntilInEffect: false);
            }
        }
        catch (JsonException e)
        {
            logger.LogWarning("Ignoring the saved route config {File}: {Message}", _configFile, e.Message);
        }
    }

    /// <summary>Applies a validated document atomically and saves it; returns the route now in force.</summary>
    /// <param name="document">The route config, validated.</param>
    /// <param name="waitUntilInEffect">Whether to return only once the running proxy routes by it.</param>
    public ActiveRouteDocument Apply(RouteDocument document, bool waitUntilInEffect = true)
    {
        var provider = _provider ?? throw new InvalidOperationException("The route table is not attached to the proxy yet.");
        var destinations = document.Destinations!;
        var cluster = new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = WeightedLoadBalancingPolicy.PolicyName,
            Destinations = destinations.ToDictionary(
                d => d.Name,
                d => new DestinationConfig
                {
                    Address = d.Address,
                    Metadata = new Dictionary<string, string> { [WeightedLoadBalancingPolicy.WeightKey] = d.Weight.ToString() },
                },
                StringComparer.Ordinal),
        };
        var route = new RouteConfig { RouteId = RouteId, ClusterId = ClusterId, Match = new RouteMatch { Path = "/{**catch-all}" } };

        lock (_applyGate)
        {
            var active = new ActiveRouteDocument((_active?.Version ?? 0) + 1, [.. destinations], document.Mirror);
            provider.Update([route], [cluster]);
            if (waitUntilInEffect)
            {
                WaitUntilInEffect(cluster);
            }

            _active = active;
            Save(document);
            return active;
        }
    }

    /// <summary>
    /// YARP applies a new config when its change token fires, which may finish after Update returns; waiting here
    /// means that once PUT /config answers, every new request is routed by the new config (a switch is a switch).
    /// </summary>
    private void WaitUntilInEffect(ClusterConfig expected)
    {
        if (_state is null)
        {
            return;
        }

        var waited = Stopwatch.StartNew();
        while (!(_state.TryGetCluster(ClusterId, out var cluster) && expected.Equals(cluster.Model.Config)))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(5))
            {
                throw new InvalidOperationException("The proxy did not take the new route config within 5 s.");
            }

            Thread.Sleep(1);
        }
    }

    private void Save(RouteDocument document)
    {
        var temporary = _configFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(document, JsonSerializerOptions.Web));
        File.Move(temporary, _configFile, overwrite: true);
    }
}
