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
        using var http = Client(url);
        var clockStart = Stopwatch.GetTimestamp() - clock.ElapsedTicks;
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, windowEnd);
        var remaining = window - clock.Elapsed;
        end.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        var answers = new ConcurrentQueue<Answer>();
        var claimed = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!end.IsCancellationRequested && Interlocked.Increment(ref claimed) <= maxRequests)
            {
                if (await SendAsync(http, url, end.Token) is { } answer)
                {
                    answers.Enqueue(new Answer(Since(answer.Started), Since(answer.Ended), answer.Version, answer.Failure));
                }
            }
        })));
        cancellationToken.ThrowIfCancellationRequested();
        return [.. answers.OrderBy(a => a.Started)];

        // An offset on the clock is the time since the timestamp it started at (read once, not per answer).
        TimeSpan Since(long timestamp) => Stopwatch.GetElapsedTime(clockStart, timestamp);
    }

    /// <summary>
    /// The same load without end until <paramref name="stop"/>: each answer goes to <paramref name="answers"/> with
    /// its <see cref="Stopwatch"/> timestamps (for <see cref="LoadProcess"/>, whose windows are slices of one run).
    /// </summary>
    public static async Task RunUntilAsync(Uri url, System.Collections.Concurrent.ConcurrentQueue<(long Started, long Ended, string? Version, string? Failure)> answers, CancellationToken stop)
    {
        using var http = Client(url);
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await SendAsync(http, url, stop) is { } answer)
                {
                    answers.Enqueue(answer);
                }
            }
        })));
    }

    private static HttpClient Client(Uri url)
    {
        // Only loopback: load goes nowhere else, whatever a mix-up would make of the URL.
        if (!url.IsLoopback)
        {
            throw new ArgumentException($"Load goes to loopback only, not {url}.", nameof(url));
        }

        // No proxy: loopback traffic must never leave the machine, whatever the proxy variables say.
        return new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = RequestTimeout }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The answer with its <see cref="Stopwatch"/> timestamps, or null when the end of the window cut the request short (not the target's failure).</summary>
    private static async Task<(long Started, long Ended, string? Version, string? Failure)?> SendAsync(HttpClient http, Uri url, CancellationToken end)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(end);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await http.GetAsync(url, timeout.Token);
            await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var version = response.Headers.TryGetValues("X-App-Version", out var values) ? values.First() : null;
            return (started, Stopwatch.GetTimestamp(), version, response.IsSuccessStatusCode ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return (started, Stopwatch.GetTimestamp(), null, "timeout");
        }
        catch (HttpRequestException e)
        {
            return (started, Stopwatch.GetTimestamp(), null, e.Message);
        }
    }
}
