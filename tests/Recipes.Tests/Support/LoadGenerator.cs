using System.Collections.Concurrent;
using System.Diagnostics;

namespace Recipes.Tests.Support;

/// <summary>What a load run sends to, how far it may go, and what it keeps of each answer.</summary>
public sealed record LoadOptions
{
    /// <summary>The loopback URL every request goes to; any other host is refused before a request is sent.</summary>
    public required Uri Url { get; init; }

    /// <summary>The method of every request (without a body).</summary>
    public HttpMethod Method { get; init; } = HttpMethod.Get;

    /// <summary>The run stops this long after it started, cutting short the requests still in flight.</summary>
    public required TimeSpan MaxDuration { get; init; }

    /// <summary>The run sends no more than this many requests; the last ones are awaited, not cut short.</summary>
    public required int MaxRequests { get; init; }

    /// <summary>How many requests are in flight at most.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>A request without an answer after this long counts as failed (<c>TimeoutException</c>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Each worker starts a request at most this often, so the load is steady and a slow machine is not saturated;
    /// zero sends back to back.
    /// </summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The response header that names the release that answered.</summary>
    public string VersionHeader { get; init; } = "X-App-Version";

    /// <summary>Whether each answer's body is kept in <see cref="LoadRequest.Body"/>.</summary>
    public bool RecordBodies { get; init; }
}

/// <summary>One request of a load run; times are offsets from the run's start.</summary>
/// <param name="StatusCode">The answer's status code; null when no answer came.</param>
/// <param name="Error">The exception's type name when no answer came (<c>HttpRequestException</c> for a refused connection, <c>TimeoutException</c>).</param>
/// <param name="Version">The version header's value, when the answer had one.</param>
/// <param name="Body">The answer's body, when bodies are recorded.</param>
/// <param name="Detail">When no answer came, the exception's messages (inner ones too), to tell a reset from a refusal.</param>
public sealed record LoadRequest(TimeSpan Started, TimeSpan Ended, int? StatusCode, string? Error, string? Version, string? Body, string? Detail = null)
{
    /// <summary>No answer, or a 5xx one.</summary>
    public bool Failed => StatusCode is null or >= 500;
}

/// <summary>Why a load run ended.</summary>
public enum LoadStopReason
{
    /// <summary>It sent <see cref="LoadOptions.MaxRequests"/> requests.</summary>
    MaxRequests = 1,

    /// <summary><see cref="LoadOptions.MaxDuration"/> passed.</summary>
    MaxDuration,

    /// <summary>The test stopped it.</summary>
    Stopped,
}

/// <summary>Every recorded request of a finished load run, and what a deployment test asks of them.</summary>
public sealed class LoadResult(IReadOnlyList<LoadRequest> requests, TimeSpan elapsed, LoadStopReason stoppedBy)
{
    /// <summary>The requests that ended with an answer or an error, in the order they started; requests cut short by the end of the run are not among them.</summary>
    public IReadOnlyList<LoadRequest> Requests { get; } = requests;

    /// <summary>From the start of the run to the end of its last request.</summary>
    public TimeSpan Elapsed { get; } = elapsed;

    public LoadStopReason StoppedBy { get; } = stoppedBy;

    public int Total => Requests.Count;

    /// <summary>Connection errors, timeouts and 5xx answers.</summary>
    public int Failed => Requests.Count(r => r.Failed);

    /// <summary>How many answers each version gave (5xx ones included: the version still answered).</summary>
    public IReadOnlyDictionary<string, int> VersionCounts =>
        Requests.Where(r => r.Version is not null).GroupBy(r => r.Version!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Total / Elapsed.TotalSeconds : 0;

    /// <summary>The versions that answered requests started at or after <paramref name="started"/> (an offset from the run's start, such as <see cref="LoadGenerator.Elapsed"/> once a switch completed).</summary>
    public IReadOnlySet<string> VersionsAnsweringAfter(TimeSpan started) =>
        Requests.Where(r => r.Started >= started && r.Version is not null).Select(r => r.Version!).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Steady GET requests from a few concurrent workers to a loopback URL, bounded by a duration and a request count
/// (whichever comes first, or an early <see cref="StopAsync"/>), recording every request. Failures are recorded,
/// never thrown, so a deployment test sees exactly which requests a switch dropped.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly LoadOptions _options;
    private readonly HttpClient _client;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenRegistration _deadlineReached;
    private readonly ConcurrentQueue<LoadRequest> _requests = new();
    private readonly Task<LoadResult> _run;
    private int _claimed;
    private int _stopReason;

    private LoadGenerator(LoadOptions options)
    {
        _options = options;
        // No proxy: loopback traffic must never leave the machine, whatever the environment's proxy variables say.
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = options.RequestTimeout })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _clock = Stopwatch.StartNew();
        _deadline = new CancellationTokenSource(options.MaxDuration);
        _deadlineReached = _deadline.Token.Register(() => Stop(LoadStopReason.MaxDuration, cutInFlight: true));
        _run = RunAsync();
    }

    /// <summary>Time since the run started: the offset that <see cref="LoadResult.VersionsAnsweringAfter"/> takes.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The result, once a bound or <see cref="StopAsync"/> ended the run; never faults.</summary>
    public Task<LoadResult> Completion => _run;

    /// <summary>Starts the workers at once.</summary>
    /// <exception cref="ArgumentException">The URL is not an http(s) URL on loopback, or a bound is not positive.</exception>
    public static LoadGenerator Start(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Url.IsAbsoluteUri || options.Url.Scheme is not ("http" or "https") || !options.Url.IsLoopback)
        {
            throw new ArgumentException($"Load goes to loopback http(s) URLs only, not {options.Url}.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MaxDuration, TimeSpan.Zero, nameof(options.MaxDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRequests, 1, nameof(options.MaxRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1, nameof(options.Workers));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RequestTimeout, TimeSpan.Zero, nameof(options.RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Interval, TimeSpan.Zero, nameof(options.Interval));
        return new LoadGenerator(options);
    }

    /// <summary>Ends the run now, cutting short the requests in flight, and returns its result.</summary>
    public Task<LoadResult> StopAsync()
    {
        Stop(LoadStopReason.Stopped, cutInFlight: true);
        return _run;
    }

    /// <summary>
    /// Sends no more requests, awaits those in flight and returns the result: every request the app may have acted on
    /// is recorded with its answer (for counting what a POST did).
    /// </summary>
    public Task<LoadResult> FinishAsync()
    {
        Stop(LoadStopReason.Stopped, cutInFlight: false);
        return _run;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }

    private void Stop(LoadStopReason reason, bool cutInFlight)
    {
        // The first bound reached names the reason; a later one changes nothing.
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, 0) == 0 && cutInFlight)
        {
            _stop.Cancel();
        }
    }

    private async Task<LoadResult> RunAsync()
    {
        await Task.WhenAll(Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(WorkAsync)));
        var elapsed = _clock.Elapsed;
        // Waits for a deadline callback in progress, so it never cancels a disposed source.
        _deadlineReached.Dispose();
        _deadline.Dispose();
        var ordered = _requests.OrderBy(r => r.Started).ToList();
        return new LoadResult(ordered, elapsed, (LoadStopReason)Volatile.Read(ref _stopReason));
    }

    private async Task WorkAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested && Volatile.Read(ref _stopReason) == 0)
        {
            if (Interlocked.Increment(ref _claimed) > _options.MaxRequests)
            {
                // The other workers' last requests still count, so they finish rather than being cut short.
                Stop(LoadStopReason.MaxRequests, cutInFlight: false);
                return;
            }

            var started = _clock.Elapsed;
            if (await SendAsync(started, stop) is not { } request)
            {
                return;
            }

            _requests.Enqueue(request);
            var wait = started + _options.Interval - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The request as recorded, or null when the end of the run cut it short (not the app's failure).</summary>
    private async Task<LoadRequest?> SendAsync(TimeSpan started, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var message = new HttpRequestMessage(_options.Method, _options.Url);
            using var response = await _client.SendAsync(message, timeout.Token);
            var version = response.Headers.TryGetValues(_options.VersionHeader, out var values) ? string.Join(",", values) : null;
            var body = _options.RecordBodies ? await response.Content.ReadAsStringAsync(timeout.Token) : null;
            return new LoadRequest(started, _clock.Elapsed, (int)response.StatusCode, null, version, body);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return new LoadRequest(started, _clock.Elapsed, null, nameof(TimeoutException), null, null, $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception exception)
        {
            return new LoadRequest(started, _clock.Elapsed, null, exception.GetType().Name, null, null, Messages(exception));
        }
    }

    private static string Messages(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            messages.Add($"{current.GetType().Name}: {current.Message}");
        }

        return string.Join(" <- ", messages);
    }
}
