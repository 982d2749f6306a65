using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Recipes.Feeds;

/// <summary>
/// Reads what went wrong with an HTTP request out of an exception, however deep NuGet wrapped it: the status code,
/// whether trying again could help, and a short description without secrets.
/// </summary>
internal static class HttpFailures
{
    /// <summary>The HTTP status the request got, or null when it got no answer at all.</summary>
    public static HttpStatusCode? StatusOf(Exception exception) =>
        Chain(exception).OfType<HttpRequestException>().Select(e => e.StatusCode).FirstOrDefault(code => code is not null);

    /// <summary>Whether another try could succeed: no answer, a timeout, or a status that says "later".</summary>
    public static bool IsTransient(Exception exception, CancellationToken callerToken)
    {
        if (callerToken.IsCancellationRequested)
        {
            return false;
        }

        if (StatusOf(exception) is { } status)
        {
            return IsTransient(status);
        }

        // No answer at all: refused, reset, unresolved, or timed out (HttpClient reports its own timeout as a
        // cancellation the caller did not ask for). A local file error is not among them: retrying cannot fix it.
        return Chain(exception).Any(e => e is HttpRequestException or HttpIOException or SocketException or TimeoutException or TaskCanceledException);
    }

    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>"503 Service Unavailable", or the innermost network error ("Connection refused (127.0.0.1:5000)").</summary>
    public static string Describe(Exception exception)
    {
        if (StatusOf(exception) is { } status)
        {
            return Describe(status);
        }

        var chain = Chain(exception).ToList();
        if (chain.Any(e => e is TaskCanceledException or TimeoutException))
        {
            return "no answer in time (timed out)";
        }

        // HttpClient's own message names the endpoint: "Connection refused (127.0.0.1:5000)".
        return (chain.LastOrDefault(e => e is HttpRequestException) ?? chain[^1]).Message;
    }

    public static string Describe(HttpStatusCode status) =>
        Enum.IsDefined(status)
            ? $"{(int)status} {System.Text.RegularExpressions.Regex.Replace(status.ToString(), "(?<=[a-z])(?=[A-Z])", " ")}"
            : $"HTTP {(int)status}";

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Count > 1)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }

                yield break;
            }
        }
    }
}
