using System.Diagnostics;

namespace Recipes.Deployment.Slots;

/// <summary>
/// A canary step's synthetic traffic: GET requests at a steady rate to the environment's public port, each carrying
/// the router's pin header for the canary, so the router sends them to the canary alone and measures them as its
/// traffic (they count towards the step's minimum of requests and its 5xx rate). One request at a time: a slow
/// canary gets fewer probes, never a pile of them.
/// </summary>
internal sealed class SyntheticProbes : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private Task _sending = Task.CompletedTask;
    private long _sent;
    private long _unexpected;

    private SyntheticProbes()
    {
    }

    /// <summary>The paths probed: the probe's own, else the smoke checks' paths, else the health check's.</summary>
    public static IReadOnlyList<string> Paths(DeploymentEnvironment environment, CanaryProbe probe) =>
        probe.Path is { } path ? [path]
        : environment.Smoke.Count > 0 ? [.. environment.Smoke.Select(check => check.Path).Distinct(StringComparer.Ordinal)]
        : [environment.Health.Path];

    /// <summary>Starts probing the canary of <paramref name="rollout"/>; <see cref="StopAsync"/> ends it.</summary>
    public static SyntheticProbes Start(Rollout rollout, CanaryProbe probe)
    {
        var probes = new SyntheticProbes();
        var address = new Uri($"http://127.0.0.1:{rollout.Environment.Port}/");
        probes._sending = Task.Run(() => probes.SendAsync(address, Paths(rollout.Environment, probe), probe.RequestsPerSecond, rollout.Router.PinTo(rollout.DestinationName)));
        return probes;
    }

    /// <summary>Stops after the request in flight, and says how many were sent and how many were not answered 2xx or 3xx.</summary>
    public async Task<string> StopAsync()
    {
        await _stop.CancelAsync();
        await _sending;
        return $"{Interlocked.Read(ref _sent)} probe request(s) sent to the canary through the router, {Interlocked.Read(ref _unexpected)} not answered 2xx or 3xx";
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task SendAsync(Uri address, IReadOnlyList<string> paths, int requestsPerSecond, KeyValuePair<string, string> pin)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = RequestTimeout };
        var interval = TimeSpan.FromSeconds(1.0 / requestsPerSecond);
        var clock = Stopwatch.StartNew();
        var due = TimeSpan.Zero;
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            if (due - clock.Elapsed is { } wait && wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            // From the later of the schedule and now: a slow answer delays the next probe instead of causing a burst.
            due = (due + interval > clock.Elapsed ? due : clock.Elapsed) + interval;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, paths[i % paths.Count].TrimStart('/')));
            request.Headers.TryAddWithoutValidation(pin.Key, pin.Value);
            Interlocked.Increment(ref _sent);
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None);
                if ((int)response.StatusCode >= 400)
                {
                    Interlocked.Increment(ref _unexpected);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref _unexpected);
            }
        }
    }
}
