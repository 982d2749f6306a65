namespace Recipes.Versioning;

/// <summary>
/// Finds GitVersion's command line, which restore downloads into the NuGet packages folder (an asset-less PackageReference to
/// GitVersion.MsBuild in Recipes.csproj), and the dotnet host that runs it.
/// </summary>
internal static class GitVersionTool
{
    public const string PackageId = "GitVersion.MsBuild";
    public const string Version = "6.8.2";

    /// <summary>The path gitversion.dll has when restore has run (it may not exist).</summary>
    /// <param name="environment">Overrides for the process environment (NUGET_PACKAGES).</param>
    public static string ExpectedPath(IReadOnlyDictionary<string, string?> environment) =>
        Path.Combine(PackagesFolder(environment), PackageId.ToLowerInvariant(), Version, "tools", "net10.0", "gitversion.dll");

    private static string PackagesFolder(IReadOnlyDictionary<string, string?> environment) =>
        NuGetPackagesFolder.Path(name => environment.TryGetValue(name, out var overridden) ? overridden : Environment.GetEnvironmentVariable(name));
}
