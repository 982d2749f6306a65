using NuGet.Packaging;
using NuGet.Versioning;

namespace Recipes.Tests.Support.NuGetServer;

/// <summary>What became of an uploaded package.</summary>
public enum UploadOutcome
{
    Added,
    Duplicate,
    Invalid,
}

/// <summary>
/// The server's packages on disk, in the flat container's own layout (<c>id/version/id.version.nupkg</c>, lowercase,
/// with the nuspec beside it), so a request path maps straight to a file.
/// </summary>
internal sealed class PackageStore
{
    private readonly string _root;
    private readonly object _writes = new();

    public PackageStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <summary>The versions of <paramref name="id"/>, lowercase and normalized, oldest first; empty when the id is unknown.</summary>
    public IReadOnlyList<string> Versions(string id)
    {
        var directory = Path.Combine(_root, id.ToLowerInvariant());
        if (!IsSafeSegment(id) || !Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateDirectories(directory)
            .Select(Path.GetFileName)
            .Select(name => NuGetVersion.TryParse(name, out var version) ? version : null)
            .OfType<NuGetVersion>()
            .Order()
            .Select(version => version.ToNormalizedString().ToLowerInvariant())
            .ToList();
    }

    /// <summary>The stored file for a flat-container file name (<c>id.version.nupkg</c> or <c>id.nuspec</c>), or null.</summary>
    public string? Find(string id, string version, string fileName)
    {
        if (!IsSafeSegment(id) || !IsSafeSegment(version) || !IsSafeSegment(fileName) || !NuGetVersion.TryParse(version, out var parsed))
        {
            return null;
        }

        var (lowerId, lowerVersion) = (id.ToLowerInvariant(), parsed.ToNormalizedString().ToLowerInvariant());
        var allowed = new[] { $"{lowerId}.{lowerVersion}.nupkg", $"{lowerId}.nuspec" };
        var name = fileName.ToLowerInvariant();
        if (!allowed.Contains(name))
        {
            return null;
        }

        var path = Path.Combine(_root, lowerId, lowerVersion, name);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Stores an uploaded .nupkg unless its id and version are taken; versions are immutable, as on real feeds.</summary>
    public async Task<UploadOutcome> AddAsync(Stream upload, CancellationToken cancellationToken)
    {
        var incoming = Path.Combine(_root, ".upload-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = File.Create(incoming))
            {
                await upload.CopyToAsync(file, cancellationToken);
            }

            NuGet.Packaging.Core.PackageIdentity identity;
            byte[] nuspec;
            try
            {
                using var reader = new PackageArchiveReader(incoming);
                identity = reader.GetIdentity();
                using var nuspecStream = reader.GetNuspec();
                using var buffer = new MemoryStream();
                nuspecStream.CopyTo(buffer);
                nuspec = buffer.ToArray();
            }
            catch (Exception e) when (e is InvalidDataException or NuGet.Packaging.Core.PackagingException or System.Xml.XmlException or IOException)
            {
                return UploadOutcome.Invalid;
            }

            var lowerId = identity.Id.ToLowerInvariant();
            var lowerVersion = identity.Version.ToNormalizedString().ToLowerInvariant();
            var directory = Path.Combine(_root, lowerId, lowerVersion);
            lock (_writes)
            {
                if (Directory.Exists(directory))
                {
                    return UploadOutcome.Duplicate;
                }

                // Fill a sibling folder, then rename it: a reader never sees a version without its package.
                var staging = directory + ".incoming";
                Directory.CreateDirectory(staging);
                File.WriteAllBytes(Path.Combine(staging, $"{lowerId}.nuspec"), nuspec);
                File.Move(incoming, Path.Combine(staging, $"{lowerId}.{lowerVersion}.nupkg"));
                Directory.Move(staging, directory);
                return UploadOutcome.Added;
            }
        }
        finally
        {
            File.Delete(incoming);
        }
    }

    /// <summary>One path segment, no tricks: the store never reads outside its folder.</summary>
    private static bool IsSafeSegment(string segment) =>
        segment.Length > 0 && segment != "." && segment != ".." && segment.IndexOfAny(['/', '\\', '\0']) < 0;
}
