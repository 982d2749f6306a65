using NuGet.Packaging;
using NuGet.Versioning;

namespace Recipes.Artifacts;

/// <summary>
/// Packs the <c>dotnet publish</c> output of an app into a versioned package, so that apps travel through the same
/// feed as libraries and a deployment can fetch exactly the build that passed its tests.
/// </summary>
public static class DeployablePackager
{
    /// <summary>The package type that marks a deployable app, so NuGet clients never add it as a dependency.</summary>
    public const string PackageType = "RecipesDeployable";

    /// <summary>
    /// Writes <c>{id}.{version}.nupkg</c> into <paramref name="outputDirectory"/> with every published file under
    /// <c>app/</c>, but the debug symbols a native build splits off its binaries (<c>*.dbg</c>, <c>*.dSYM/</c>).
    /// </summary>
    /// <remarks>
    /// A Native AOT publish writes its executable's symbols beside it at twice its size (20 MB for a 9 MB web app);
    /// the release does not read them to run or to print a stack trace, and every deployment would fetch, check and
    /// unpack them on the machine that serves. They stay in the publish folder, for a debugger.
    /// </remarks>
    /// <returns>The package's path.</returns>
    /// <param name="publishDirectory">The app's <c>dotnet publish</c> output.</param>
    /// <param name="id">Package id.</param>
    /// <param name="version">Package version.</param>
    /// <param name="authors">Package authors.</param>
    /// <param name="outputDirectory">Where the package is written.</param>
    /// <param name="deterministicTimestamp">Date for every zip entry (Unix seconds), so that the same input gives the same bytes.</param>
    public static string Pack(string publishDirectory, string id, string version, string authors, string outputDirectory, string deterministicTimestamp)
    {
        if (!Directory.Exists(publishDirectory) || !Directory.EnumerateFileSystemEntries(publishDirectory).Any())
        {
            throw new RecipeException($"Nothing was published for {id} in {publishDirectory}; check that dotnet publish succeeded for it.");
        }

        var builder = new PackageBuilder(deterministic: true)
        {
            DeterministicTimestamp = deterministicTimestamp,
            Id = id,
            Version = NuGetVersion.Parse(version),
            Description = $"{id}, ready to deploy (the output of dotnet publish).",
        };
        builder.Authors.Add(authors);
        builder.PackageTypes.Add(new NuGet.Packaging.Core.PackageType(PackageType, new Version(1, 0)));
        foreach (var file in Directory.EnumerateFiles(publishDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(publishDirectory, file).Replace('\\', '/');
            if (IsSplitDebugSymbols(relative))
            {
                continue;
            }

            builder.Files.Add(new PhysicalPackageFile { SourcePath = file, TargetPath = "app/" + relative });
        }

        var path = Path.Combine(outputDirectory, $"{id}.{builder.Version.ToNormalizedString()}.nupkg");
        AtomicFile.Write(path, builder.Save);
        return path;
    }

    private static bool IsSplitDebugSymbols(string relativePath) =>
        relativePath.EndsWith(".dbg", StringComparison.OrdinalIgnoreCase)
        || relativePath.Split('/').Any(part => part.EndsWith(".dSYM", StringComparison.OrdinalIgnoreCase));
}
