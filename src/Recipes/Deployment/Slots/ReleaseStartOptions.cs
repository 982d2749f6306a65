namespace Recipes.Deployment.Slots;

/// <summary>What a release is started with.</summary>
internal sealed record ReleaseStartOptions
{
    /// <summary>The app's <c>ASPNETCORE_ENVIRONMENT</c>; <c>Production</c> when null.</summary>
    public string? AspNetCoreEnvironment { get; init; }

    /// <summary>Configuration values, passed as environment variables (<c>Section__Key</c> for nested keys).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Secrets, by the variable name the app reads, each taken from the build's own environment variable of the
    /// value's name; a missing one stops the start. Their values never reach a log or the state file.
    /// </summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
}
