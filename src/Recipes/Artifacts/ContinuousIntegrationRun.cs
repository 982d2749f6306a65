namespace Recipes.Artifacts;

/// <summary>Finds the URL of the CI run from the variables each server sets, so artifacts can point back at their build.</summary>
public static class ContinuousIntegrationRun
{
    /// <summary>The run's URL, or null on a developer's machine.</summary>
    public static string? Url(Func<string, string?> environment)
    {
        string? Get(string name) => string.IsNullOrWhiteSpace(environment(name)) ? null : environment(name);

        if (Get("GITHUB_RUN_ID") is { } runId && Get("GITHUB_REPOSITORY") is { } repository)
        {
            return $"{Get("GITHUB_SERVER_URL") ?? "https://github.com"}/{repository}/actions/runs/{runId}";
        }

        if (Get("SYSTEM_COLLECTIONURI") is { } collection && Get("SYSTEM_TEAMPROJECT") is { } project && Get("BUILD_BUILDID") is { } buildId)
        {
            return $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={buildId}";
        }

        return Get("CI_PIPELINE_URL") ?? Get("CI_JOB_URL") ?? Get("BUILD_URL") ?? Get("BUILD_URL_TEAMCITY");
    }
}
