using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace Recipes.Router;

/// <summary>
/// The requests on their way to each destination, from the moment load balancing chose it until the response ended.
/// A switch takes a destination out of the route, yet requests that chose it just before are still being forwarded
/// there after PUT /config has answered; a release stopped at that moment fails them (a reset connection, a 502).
/// <see cref="DrainAsync"/> waits for them, as kamal-proxy drains a target, so the old release is stopped only once
/// nothing more can reach it.
/// </summary>
internal sealed class InFlightRequests
{
    /// <summary>
    /// How long a destination's count must stay at zero to be drained: a request the old route matched may not have
    /// reached load balancing yet when the count is first read (a few microseconds of code, longer on a busy machine).
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<string, StrongBox<long>> _counts = new(StringComparer.Ordinal);

    /// <summary>The proxy pipeline's step right after load balancing: counts the request against the destination it chose.</summary>
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (context.GetReverseProxyFeature().AvailableDestinations is not [var destination])
        {
            await next();
            return;
        }

        var count = _counts.GetOrAdd(destination.DestinationId, _ => new StrongBox<long>());
        Interlocked.Increment(ref count.Value);
        try
        {
            await next();
        }
        finally
        {
            Interlocked.Decrement(ref count.Value);
        }
    }

    /// <summary>How many requests are being forwarded to <paramref name="destination"/> now.</summary>
    public long InFlight(string destination) => _counts.TryGetValue(destination, out var count) ? Interlocked.Read(ref count.Value) : 0;

    /// <summary>
    /// Waits until no request has been on its way to <paramref name="destination"/> for <see cref="Settle"/>, or
    /// <paramref name="timeout"/> has passed.
    /// </summary>
    public async Task<DrainResult> DrainAsync(string destination, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? idleSince = null;
        while (true)
        {
            var now = clock.Elapsed;
            var inFlight = InFlight(destination);
            idleSince = inFlight == 0 ? idleSince ?? now : null;
            if (now - idleSince >= Settle)
            {
                // Drained destinations are out of the route: their counters go (one per deployment would pile up in a
                // long-lived router); a destination routed to again starts a new one.
                if (_counts.TryGetValue(destination, out var count) && Interlocked.Read(ref count.Value) == 0)
                {
                    _counts.TryRemove(new KeyValuePair<string, StrongBox<long>>(destination, count));
                }

                return new DrainResult(destination, true, 0, (long)now.TotalMilliseconds);
            }

            if (now >= timeout)
            {
                return new DrainResult(destination, false, inFlight, (long)now.TotalMilliseconds);
            }

            await Task.Delay(2, cancellationToken);
        }
    }
}

/// <summary>What <c>POST /drain</c> answers.</summary>
/// <param name="Destination">The destination drained.</param>
/// <param name="Drained">Whether no request was on its way to it any more.</param>
/// <param name="InFlight">How many still were when the wait ended (0 when drained).</param>
/// <param name="WaitedMs">How long the router waited.</param>
public sealed record DrainResult(string Destination, bool Drained, long InFlight, long WaitedMs);

/// <summary>The body of <c>POST /drain</c>.</summary>
/// <param name="Destination">The destination whose requests in flight to wait for; it must get no traffic in the route in force.</param>
/// <param name="TimeoutMs">How long to wait at most, 1 to 300,000 ms.</param>
public sealed record DrainRequest(string? Destination, int TimeoutMs)
{
    /// <summary>What is wrong with the request itself, or null.</summary>
    public string? Validate() =>
        string.IsNullOrWhiteSpace(Destination) ? "Name the destination to drain: send { \"destination\": \"<name>\", \"timeoutMs\": 10000 }."
        : TimeoutMs is < 1 or > 300_000 ? $"timeoutMs {TimeoutMs} is out of range; send 1 to 300000."
        : null;

    /// <summary>Why the destination cannot be drained under <paramref name="active"/> (it still gets traffic), or null.</summary>
    public string? StillRouted(ActiveRouteDocument? active) =>
        active?.Destinations.FirstOrDefault(d => d.Name == Destination && d.Weight > 0) is { } routed
            ? $"{Destination} still has weight {routed.Weight} in route version {active.Version}; route it out (PUT /config) before draining it."
            : null;
}
