using System.Net;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Local;

/// <summary>
/// Waits for a started release to answer its health check. When the check's path is not found (404), the most likely
/// first mistake, the failure says which of the app's likely health endpoints do answer and names <c>health.path</c>.
/// </summary>
internal static class ReleaseHealthCheck
{
    /// <summary>Long enough for a running app to answer a GET on loopback; a hint is not worth a longer wait.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The paths health endpoints are most often mapped to, tried besides those the app's assembly names.</summary>
    private static readonly string[] CommonPaths = ["/", "/healthz"];

    /// <summary>
    /// Polls <c>GET http://127.0.0.1:&lt;port&gt;/&lt;path&gt;</c> until it answers <paramref name="expectedStatus"/>
    /// (see <see cref="HealthPoller"/>); fails at once when the process exits, and after <paramref name="timeout"/> with
    /// the last answer it got.
    /// </summary>
    /// <exception cref="ReleaseUnhealthyException">The release exited or did not answer as expected in time.</exception>
    public static Task WaitAsync(
        ReleaseProcess process, string path, HttpStatusCode expectedStatus, TimeSpan timeout, string description, Func<string> logTail, CancellationToken cancellationToken) =>
        HealthPoller.WaitAsync(
            new Uri(process.Address, path.TrimStart('/')),
            new HealthCheck(path, timeout, (int)expectedStatus),
            description,
            _ => Task.FromResult(DetachedProcesses.IsAlive(process.Pid) ? null : "exited"),
            () => Task.FromResult($"{logTail()}; see {process.LogFile}"),
            (http, token) => NotFoundAdviceAsync(http, process, path, token),
            cancellationToken);

    /// <summary>
    /// Tries <c>/</c>, <c>/healthz</c> and the health-like paths in the app's assembly, all at once, and says which
    /// answered 2xx; the configured path is left out, as it just answered 404.
    /// </summary>
    private static async Task<string> NotFoundAdviceAsync(HttpClient http, ReleaseProcess process, string path, CancellationToken cancellationToken)
    {
        var found = HealthPathHints.InAssembly(process.Release.EntryAssembly);
        var candidates = CommonPaths.Concat(found)
            .Where(candidate => !string.Equals(candidate, "/" + path.TrimStart('/'), StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var answers = await Task.WhenAll(candidates.Select(candidate => AnswersSuccessAsync(http, process, candidate, cancellationToken)));
        var answering = candidates.Where((_, index) => answers[index]).ToList();
        var tried = string.Join(", ", candidates);
        var fromAssembly = found.Count > 0 ? $"; {string.Join(", ", found)} from {Path.GetFileName(process.Release.EntryAssembly)}" : string.Empty;
        return answering.Count > 0
            ? $"the app has no endpoint at that path, but {string.Join(" and ", answering)} answered 2xx (tried {tried}{fromAssembly}): set health.path in environments.yml to the app's health endpoint"
            : $"the app has no endpoint at that path, and none of {tried} answered 2xx either{fromAssembly}: set health.path in environments.yml to the app's health endpoint (app.MapHealthChecks(\"/healthz\") maps one)";
    }

    private static async Task<bool> AnswersSuccessAsync(HttpClient http, ReleaseProcess process, string path, CancellationToken cancellationToken)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await http.GetAsync(new Uri(process.Address, path.TrimStart('/')), probe.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
