using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Recipes.Deployment.Slots;

/// <summary>
/// The one wait for a started release to answer its health check, whatever runs it (a local process, a container):
/// GET the check's URL every <see cref="Interval"/> until it answers the expected status; fail at once when the
/// release is seen to have ended, and after the check's timeout with the last answer, advice and where the log is.
/// </summary>
internal static class HealthPoller
{
    /// <summary>
    /// Between two polls: a release takes hundreds of milliseconds to start at best, and each poll costs the starting
    /// release a request and the deployer a wake-up, so a shorter one would not make a deployment noticeably shorter.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls <paramref name="url"/> until it answers <paramref name="check"/>'s status.</summary>
    /// <param name="url">The health endpoint of the release, on its own address.</param>
    /// <param name="check">The expected status and the timeout.</param>
    /// <param name="description">What is waited for, for messages: <c>Acme.Api 1.2.0 in slot blue of staging (pid 123, port 5001)</c>.</param>
    /// <param name="ended">Liveness: null while the release runs, else how it ended (<c>exited</c>, <c>stopped (exit code 3)</c>).</param>
    /// <param name="logTail">What ends a failure's message: the last lines of its log and where the rest is (read only on failure, so it may be slow, as over SSH).</param>
    /// <param name="notFoundAdvice">For a timeout whose last answer was 404: which paths do answer; null for the generic advice.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="ReleaseUnhealthyException">The release ended, or did not answer as expected in time.</exception>
    public static async Task WaitAsync(
        Uri url,
        HealthCheck check,
        string description,
        Func<CancellationToken, Task<string?>> ended,
        Func<Task<string>> logTail,
        Func<HttpClient, CancellationToken, Task<string>>? notFoundAdvice,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        HttpStatusCode? lastStatus = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await ended(cancellationToken) is { } how)
            {
                var tail = await logTail();
                throw new ReleaseUnhealthyException($"{description} {how} before GET {url} answered {check.ExpectedStatus} ({last}){tail}");
            }

            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if ((int)response.StatusCode == check.ExpectedStatus)
                {
                    return;
                }

                lastStatus = response.StatusCode;
                last = $"last answer {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                lastStatus = null;
                last = $"last try: {e.Message}";
            }

            if (clock.Elapsed >= check.Timeout)
            {
                var advice = lastStatus == HttpStatusCode.NotFound && notFoundAdvice is not null
                    ? await notFoundAdvice(http, cancellationToken)
                    : "check the health check path";
                var tail = await logTail();
                throw new ReleaseUnhealthyException(string.Create(CultureInfo.InvariantCulture,
                    $"{description} did not answer GET {url} with {check.ExpectedStatus} within {check.Timeout.TotalSeconds:0.#} s ({last}); {advice}{tail}"));
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }
}
