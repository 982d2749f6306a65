using System.Diagnostics;

namespace Recipes.Router;

/// <summary>
/// Dark launch: sends a copy of each GET and HEAD request to the mirror destination in the background and compares its
/// status code with the live response's. The user's response is never delayed or changed: the copy is fired before the
/// live request is forwarded, never awaited, and at most <see cref="MaxInFlight"/> copies are in flight (more are dropped
/// and counted).
/// </summary>
public sealed class RequestMirror : IDisposable
{
    /// <summary>How many mirrored copies may be in flight at once.</summary>
    public const int MaxInFlight = 64;

    /// <summary>The header that marks a request as a mirrored copy, so the shadow can tell.</summary>
    public const string MirrorHeader = "X-Recipes-Mirror";

    private static readonly HashSet<string> HeadersNotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "Proxy-Authorization",
        "TE", "Trailer", "Content-Length",
    };

    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private readonly TrafficMetrics _metrics;

    public RequestMirror(TrafficMetrics metrics) => _metrics = metrics;

    /// <summary>Starts a copy of <paramref name="request"/> to <paramref name="mirror"/>, or returns null when it is not mirrored.</summary>
    public Task<int>? Start(HttpRequest request, MirrorDocument? mirror)
    {
        if (mirror is null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return null;
        }

        if (!_inFlight.Wait(0))
        {
            _metrics.RecordMirrorDropped(mirror.Name);
            return null;
        }

        var copy = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(new Uri(mirror.Address), request.Path + request.QueryString));
        foreach (var header in request.Headers)
        {
            if (!HeadersNotCopied.Contains(header.Key))
            {
                copy.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
        }

        copy.Headers.TryAddWithoutValidation(MirrorHeader, "1");
        return Task.Run(() => SendAsync(copy, mirror.Name));
    }

    /// <summary>Compares the copy's status with the live one once both are known; never throws, never blocks.</summary>
    public void Compare(Task<int> mirrored, string mirrorName, int liveStatusCode) =>
        _ = mirrored.ContinueWith(
            t => _metrics.RecordMirror(mirrorName, mismatch: t.Result != liveStatusCode),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    public void Dispose()
    {
        _client.Dispose();
        _inFlight.Dispose();
    }

    private async Task<int> SendAsync(HttpRequestMessage copy, string mirrorName)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using (copy)
            using (var response = await _client.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false))
            {
                var status = (int)response.StatusCode;
                _metrics.RecordResponse(mirrorName, status, Stopwatch.GetElapsedTime(started));
                return status;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            _metrics.RecordResponse(mirrorName, 502, Stopwatch.GetElapsedTime(started));
            return 0;
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
