namespace Recipes.Testing;

/// <summary>
/// Finds packages that restore downloaded for the recipe (asset-less PackageReferences in Recipes.csproj) in the NuGet packages
/// folder, so test runs can load the JUnit logger and coverage collector even when a test project lacks them.
/// </summary>
internal static class ToolPackages
{
    public static string PackagesFolder => NuGetPackagesFolder.Path();

    /// <summary>The folder, or null when the package is not there (then the test project's own references must do).</summary>
    public static string? Find(string id, string version, string relativeFolder)
    {
        var folder = Path.Combine(PackagesFolder, id.ToLowerInvariant(), version, relativeFolder);
        return Directory.Exists(folder) ? folder : null;
    }

    public static string? JUnitLogger => Find("JunitXml.TestLogger", "8.1.0", Path.Combine("build", "_common", "vstest"));

    public static string? CoverageCollector => Find("coverlet.collector", "10.0.1", Path.Combine("build", "net10.0"));
}
