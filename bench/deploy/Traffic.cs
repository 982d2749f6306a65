using System.Collections.Concurrent;
using System.Diagnostics;

/// <summary>One request of a traffic run; times are offsets on the clock the run was given.</summary>
/// <param name="Version">The X-App-Version header of the answer, when it had one.</param>
/// <param name="Failure">Null for a 2xx answer; else the status code, "timeout" or the connection error.</param>
internal sealed record Answer(TimeSpan Started, TimeSpan Ended, string? Version, string? Failure);

/// <summary>
/// Closed-loop GETs from a few workers to a loopback URL: each worker sends its next request as soon as the previous
/// one is answered, so the rate is what the router and the release can hold, not a rate we chose. A run ends after a
/// window or a request count, whichever comes first; failures are recorded, never thrown, so a switch that drops
/// requests shows in the figures. (The same approach as the tests' LoadGenerator; the bench does not reference tests.)
/// </summary>
internal static class Traffic
{
    public const int Workers = 4;

    /// <summary>A request unanswered this long counts as failed: a switch that stalls requests must show, not hang the run.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs until <paramref name="window"/> has passed on <paramref name="clock"/>, <paramref name="maxRequests"/> were
    /// sent, or <paramref name="windowEnd"/> is cancelled (the window ends early, not an error).
    /// </summary>
    public static async Task<IReadOnlyList<Answer>> RunAsync(Uri url, TimeSpan window, int maxRequests, Stopwatch clock, CancellationToken cancellationToken, CancellationToken windowEnd = default)
    {
        // Only loopback: load goes nowhere else, whatever a mix-up would make of the URL.
        if (!url.IsLoopback)
        {
            throw new ArgumentException($"Load goes to loopback only, not {url}.", nameof(url));
        }

        // No proxy: loopback traffic must never leave the machine, whatever the proxy variables say.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = RequestTimeout }) { Timeout = Timeout.InfiniteTimeSpan };
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, windowEnd);
        var remaining = window - clock.Elapsed;
        end.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        var answers = new ConcurrentQueue<Answer>();
        var claimed = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!end.IsCancellationRequested && Interlocked.Increment(ref claimed) <= maxRequests)
            {
                if (await SendAsync(http, url, clock, end.Token) is { } answer)
                {
                    answers.Enqueue(answer);
                }
            }
        })));
        cancellationToken.ThrowIfCancellationRequested();
        return [.. answers.OrderBy(a => a.Started)];
    }

    /// <summary>The answer, or null when the end of the window cut the request short (not the target's failure).</summary>
    private static async Task<Answer?> SendAsync(HttpClient http, Uri url, Stopwatch clock, CancellationToken end)
    {
        var started = clock.Elapsed;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(end);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await http.GetAsync(url, timeout.Token);
            await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var version = response.Headers.TryGetValues("X-App-Version", out var values) ? values.First() : null;
            return new Answer(started, clock.Elapsed, version, response.IsSuccessStatusCode ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return new Answer(started, clock.Elapsed, null, "timeout");
        }
        catch (HttpRequestException e)
        {
            return new Answer(started, clock.Elapsed, null, e.Message);
        }
    }
}
