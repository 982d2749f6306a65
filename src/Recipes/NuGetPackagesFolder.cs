namespace Recipes;

/// <summary>
/// The NuGet global packages folder, where restore puts the tool packages the recipe runs out of process
/// (GitVersion, the JUnit logger, the coverage collector): NUGET_PACKAGES, else ~/.nuget/packages.
/// </summary>
internal static class NuGetPackagesFolder
{
    /// <summary>The folder, reading NUGET_PACKAGES through <paramref name="readEnvironment"/> (the process environment by default).</summary>
    public static string Path(Func<string, string?>? readEnvironment = null) =>
        (readEnvironment ?? Environment.GetEnvironmentVariable)("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
