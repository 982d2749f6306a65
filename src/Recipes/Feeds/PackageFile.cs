using System.Security.Cryptography;
using NuGet.Packaging;

namespace Recipes.Feeds;

/// <summary>
/// A .nupkg on disk as a feed sees it: its identity from the nuspec and the SHA-512 of its bytes, which is what
/// decides whether a feed already holds this very package or a different build of the same version.
/// </summary>
/// <param name="Path">The full path of the .nupkg file.</param>
/// <param name="Id">The package id as the nuspec spells it.</param>
/// <param name="Version">The normalized version (<c>1.0</c> becomes <c>1.0.0</c>, build metadata dropped), as feeds key it.</param>
/// <param name="Sha512">The lowercase hex SHA-512 of the file's bytes.</param>
public sealed record PackageFile(string Path, string Id, string Version, string Sha512);

/// <summary>Reads <see cref="PackageFile"/>s from .nupkg files.</summary>
public static class PackageFiles
{
    /// <summary>Reads the id and version from the package's nuspec and hashes the file.</summary>
    /// <exception cref="RecipeException">The file is missing or is not a readable package.</exception>
    public static PackageFile Read(string nupkgPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nupkgPath);
        var fullPath = System.IO.Path.GetFullPath(nupkgPath);
        if (!File.Exists(fullPath))
        {
            throw new RecipeException($"the package {fullPath} does not exist; run the Package stage before publishing");
        }

        try
        {
            // Hash and read the identity from one open stream, so both describe the same bytes.
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            var sha512 = Sha512Hex(stream);
            stream.Position = 0;
            using var reader = new PackageArchiveReader(stream, leaveStreamOpen: true);
            var identity = reader.NuspecReader.GetIdentity();
            return new PackageFile(fullPath, identity.Id, identity.Version.ToNormalizedString(), sha512);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RecipeException($"{fullPath} is not a readable .nupkg ({e.Message}); rebuild it with the Package stage", e);
        }
    }

    /// <summary>The lowercase hex SHA-512 of everything left in <paramref name="stream"/>.</summary>
    internal static string Sha512Hex(Stream stream) => Convert.ToHexStringLower(SHA512.HashData(stream));

    /// <summary>
    /// Downloads <paramref name="id"/> <paramref name="version"/> from <paramref name="feed"/> into the new file
    /// <paramref name="file"/> and returns its lowercase hex SHA-512, or null when the feed lacks it: the one way a
    /// caller proves the feed's copy is the manifest's before using it.
    /// </summary>
    internal static async Task<string?> DownloadWithSha512Async(IPackageFeed feed, string id, string version, string file, FileStreamOptions options, CancellationToken cancellationToken)
    {
        await using (var destination = new FileStream(file, options))
        {
            if (!await feed.DownloadAsync(id, version, destination, cancellationToken))
            {
                return null;
            }
        }

        return Sha512HexOfFile(file);
    }

    /// <summary>The lowercase hex SHA-512 of a file.</summary>
    internal static string Sha512HexOfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Sha512Hex(stream);
    }
}
