using System.Text;
using NuGet.Packaging;
using NuGet.Versioning;

namespace Recipes.Tests.Support;

/// <summary>Makes small real .nupkg files in memory with NuGet's own builder, faster than running dotnet pack.</summary>
internal static class TestPackages
{
    /// <summary>
    /// Writes <paramref name="id"/> <paramref name="version"/> to <paramref name="directory"/>. Each call makes new bytes
    /// (the package's core-properties part has a random name), so two calls give two different builds of one version.
    /// </summary>
    public static string Create(string directory, string id, string version, string content = "made by Recipes tests")
    {
        var builder = new PackageBuilder
        {
            Id = id,
            Version = NuGetVersion.Parse(version),
            Description = "A package made by the Recipes tests.",
        };
        builder.Authors.Add("Recipes tests");
        // An empty lib folder marker for netstandard2.0, so any modern project can reference (and restore) the package.
        builder.Files.Add(File("lib/netstandard2.0/_._", string.Empty));
        builder.Files.Add(File($"content/{id}.txt", content));

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{id}.{version}.nupkg");
        using var stream = System.IO.File.Create(path);
        builder.Save(stream);
        return path;
    }

    /// <summary>A copy of a package file under another name: the same bytes, as a re-run of a publish would have.</summary>
    public static string CopyTo(string nupkg, string directory)
    {
        Directory.CreateDirectory(directory);
        var copy = Path.Combine(directory, Path.GetFileName(nupkg));
        System.IO.File.Copy(nupkg, copy);
        return copy;
    }

    /// <summary>
    /// A copy of <paramref name="nupkg"/> in <paramref name="directory"/>, re-zipped with one more file
    /// (<paramref name="extraEntry"/>): the same id and version with other bytes, as a tampered feed would serve.
    /// </summary>
    public static string WithExtraFile(string nupkg, string directory, string extraEntry = "content/planted.txt")
    {
        var copy = CopyTo(nupkg, directory);
        using var archive = System.IO.Compression.ZipFile.Open(copy, System.IO.Compression.ZipArchiveMode.Update);
        using (var writer = new StreamWriter(archive.CreateEntry(extraEntry).Open()))
        {
            writer.Write("planted in the feed's copy");
        }

        return copy;
    }

    private static PhysicalPackageFile File(string targetPath, string text) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(text))) { TargetPath = targetPath };
}
