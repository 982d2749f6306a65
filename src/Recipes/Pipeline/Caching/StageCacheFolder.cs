using Recipes.Hosting.Internal;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Caching;

/// <summary>Where the stage cache lives: the cache-directory setting, else <c>~/.recipes/cache</c>, outside every repository.</summary>
internal static class StageCacheFolder
{
    /// <summary>What <c>--help</c> shows when cache-directory is not set.</summary>
    public static string DescribeDefault(string repositoryRoot, EnvironmentVariables environment) =>
        StateLocation.Home(environment) is { } home
            ? $"{Default(home)} (default: outside the repository)"
            : "(not set, and HOME is not set: set cache-directory, or run with --no-cache)";

    /// <summary>The folder in force as a full path, or null when there is none (no setting and no HOME).</summary>
    public static string? Resolve(string? setting, string repositoryRoot, EnvironmentVariables environment) =>
        !string.IsNullOrWhiteSpace(setting) ? Path.GetFullPath(setting.Trim(), repositoryRoot)
        : StateLocation.Home(environment) is { } home ? Default(home)
        : null;

    private static string Default(string home) => Path.Combine(home, ".recipes", "cache");
}
