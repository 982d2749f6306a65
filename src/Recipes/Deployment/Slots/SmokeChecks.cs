namespace Recipes.Deployment.Slots;

/// <summary>An environment's smoke checks (<c>smoke:</c>), run against one address: a slot's, or the public port once traffic is switched.</summary>
internal static class SmokeChecks
{
    /// <summary>Runs every check against <paramref name="address"/>; <paramref name="note"/> hears that they passed.</summary>
    /// <exception cref="RolloutFailedException">A check answered otherwise than expected.</exception>
    public static async Task RunAsync(DeploymentEnvironment environment, Uri address, string where, Action<string> note, CancellationToken cancellationToken)
    {
        if (environment.Smoke.Count == 0)
        {
            return;
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var check in environment.Smoke)
        {
            var url = new Uri(address, check.Path.TrimStart('/'));
            string answer;
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if ((int)response.StatusCode == check.ExpectedStatus)
                {
                    continue;
                }

                answer = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                answer = e.Message;
            }

            throw new RolloutFailedException($"smoke check GET {check.Path} on {where} answered {answer}, not {check.ExpectedStatus}");
        }

        note($"{environment.Smoke.Count} smoke check(s) passed on {where}");
    }
}
