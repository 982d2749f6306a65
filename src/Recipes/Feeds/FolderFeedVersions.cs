using NuGet.Versioning;

namespace Recipes.Feeds;

/// <content>The versions of a package the folder holds, in either layout.</content>
public sealed partial class FolderFeed
{
    /// <inheritdoc />
    Task<IReadOnlyList<NuGetVersion>> IPackageVersionListing.ListVersionsAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!System.IO.Directory.Exists(Directory))
        {
            return Task.FromResult<IReadOnlyList<NuGetVersion>>([]);
        }

        var flat = System.IO.Directory.EnumerateFiles(Directory, id + ".*" + NupkgExtension, new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive })
            .Select(file => System.IO.Path.GetFileName(file)[(id.Length + 1)..^NupkgExtension.Length])
            .Select(text => NuGetVersion.TryParse(text, out var version) ? version : null);
        var hierarchical = System.IO.Directory.EnumerateDirectories(Directory)
            .Where(folder => string.Equals(System.IO.Path.GetFileName(folder), id, StringComparison.OrdinalIgnoreCase))
            .SelectMany(System.IO.Directory.EnumerateDirectories)
            .Select(folder => NuGetVersion.TryParse(System.IO.Path.GetFileName(folder), out var version) ? version : null);

        // FindPackage settles names that read two ways (A.1.2.0 is A 1.2.0 or A.1 2.0) from the package itself.
        IReadOnlyList<NuGetVersion> versions = [.. flat.Concat(hierarchical).OfType<NuGetVersion>().Distinct()
            .Where(version => FindPackage(id, version) is not null)];
        return Task.FromResult(versions);
    }
}
