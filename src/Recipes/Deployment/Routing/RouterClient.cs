using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Recipes.Deployment.Routing;

/// <summary>
/// Talks to a running Recipes.Router through its admin API (loopback only, guarded by the token in the router's state
/// folder): applies route configs, reads metrics, and tells whether the router is up.
/// </summary>
public sealed class RouterClient : IDisposable
{
    /// <summary>The file in the router's state folder that holds the admin token.</summary>
    public const string TokenFileName = "admin-token";

    /// <summary>The file in the router's state folder with the process id and bound ports, written once it listens.</summary>
    public const string InfoFileName = "router.json";

    private readonly HttpClient _http;
    private readonly string _token;

    /// <summary>Creates a client for the admin API at <paramref name="adminAddress"/> that sends <paramref name="token"/>.</summary>
    public RouterClient(Uri adminAddress, string token, TimeSpan? timeout = null)
    {
        AdminAddress = adminAddress;
        _token = token;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = adminAddress, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The router's admin API root, such as http://127.0.0.1:5081/.</summary>
    public Uri AdminAddress { get; }

    /// <summary>
    /// Creates a client for the router whose state folder is <paramref name="stateDirectory"/>, from the token and the
    /// admin port that the router wrote there; throws a <see cref="RecipeException"/> when it has not written them.
    /// </summary>
    public static RouterClient ForStateDirectory(string stateDirectory)
    {
        var info = RouterInfo.Read(stateDirectory)
            ?? throw new RecipeException($"No router has started with state folder {stateDirectory} ({InfoFileName} is missing); start Recipes.Router with --state {stateDirectory}.");
        var tokenFile = Path.Combine(stateDirectory, TokenFileName);
        if (!File.Exists(tokenFile))
        {
            throw new RecipeException($"The router's admin token {tokenFile} is missing; restart Recipes.Router with --state {stateDirectory}.");
        }

        return new RouterClient(new Uri($"http://127.0.0.1:{info.AdminPort}/"), File.ReadAllText(tokenFile).Trim());
    }

    /// <summary>
    /// The header (name and value) that makes this router send a request on its public port to
    /// <paramref name="destination"/> alone, whatever the weights: signed with the admin token, refused by any other router.
    /// </summary>
    internal KeyValuePair<string, string> PinTo(string destination) => new(Recipes.Router.PinSignature.Header, Recipes.Router.PinSignature.Value(_token, destination));

    /// <summary>Applies <paramref name="config"/> atomically: requests in flight finish on the old config, new ones get this one.</summary>
    public async Task ApplyAsync(RouteConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var body = new
        {
            destinations = config.Destinations.Select(d => new { name = d.Name, address = d.Address.ToString(), weight = d.Weight }),
            mirror = config.Mirror is { } m ? new { name = m.Name, address = m.Address.ToString() } : null,
        };
        using var response = await SendAsync(() => _http.PutAsJsonAsync("config", body, JsonSerializerOptions.Web, cancellationToken), "apply the route config").ConfigureAwait(false);
        await EnsureSuccessAsync(response, "apply the route config", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits, at most <paramref name="timeout"/>, until no request is on its way to <paramref name="destination"/>,
    /// which the route in force must no longer send traffic to: requests that chose it just before a switch are still
    /// forwarded there after the switch has answered, and its release must not stop under them.
    /// </summary>
    /// <returns>Whether it drained, and how many requests were still in flight when the wait ended.</returns>
    /// <exception cref="RecipeException">The router does not answer, or the route still sends traffic to the destination.</exception>
    internal async Task<(bool Drained, long InFlight)> DrainAsync(string destination, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var body = new { destination, timeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds, 1, 300_000) };
        using var response = await SendAsync(() => _http.PostAsJsonAsync("drain", body, JsonSerializerOptions.Web, cancellationToken), $"drain {destination}").ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"drain {destination}", cancellationToken).ConfigureAwait(false);
        var result = await response.Content.ReadFromJsonAsync<DrainDocument>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
        return (result!.Drained, result.InFlight);
    }

    /// <summary>The route config in force, or null when none has been applied yet.</summary>
    public async Task<RouteConfig?> GetConfigAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => _http.GetAsync("config", cancellationToken), "read the route config").ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "read the route config", cancellationToken).ConfigureAwait(false);
        var document = await response.Content.ReadFromJsonAsync<ConfigDocument>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
        return new RouteConfig(
            [.. document!.Destinations.Select(d => new RouteDestination(d.Name, new Uri(d.Address), d.Weight))],
            document.Mirror is { } m ? new RouteDestination(m.Name, new Uri(m.Address)) : null);
    }

    /// <summary>Every destination's metrics since the router started, by name.</summary>
    public async Task<IReadOnlyList<DestinationMetrics>> GetMetricsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => _http.GetAsync("metrics", cancellationToken), "read the router metrics").ConfigureAwait(false);
        await EnsureSuccessAsync(response, "read the router metrics", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<List<DestinationMetrics>>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>True when the router answers its health check; never throws for a router that is down.</summary>
    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync("health", cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, string action)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RecipeException($"Could not {action}: the router at {AdminAddress} does not answer ({e.Message}); start it or check its state folder.", e);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? error = null;
        try
        {
            error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
        }

        throw new RecipeException($"Could not {action}: the router at {AdminAddress} answered {(int)response.StatusCode}: {error ?? body.Trim()}");
    }

    private sealed record ConfigDocument(long Version, List<DestinationDocument> Destinations, DestinationDocument? Mirror);

    private sealed record DestinationDocument(string Name, string Address, int Weight);

    private sealed record DrainDocument(bool Drained, long InFlight);

    /// <summary>The contents of router.json.</summary>
    internal sealed record RouterInfo(int Pid, int Port, int AdminPort)
    {
        public static RouterInfo? Read(string stateDirectory)
        {
            var file = Path.Combine(stateDirectory, InfoFileName);
            return File.Exists(file) ? JsonSerializer.Deserialize<RouterInfo>(File.ReadAllText(file), JsonSerializerOptions.Web) : null;
        }
    }
}
