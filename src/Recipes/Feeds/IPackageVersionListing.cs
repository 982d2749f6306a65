using NuGet.Versioning;

namespace Recipes.Feeds;

/// <summary>A feed that can say which versions of a package it holds, so a run can refuse to publish below them.</summary>
internal interface IPackageVersionListing
{
    /// <summary>Every version of <paramref name="id"/> in the feed (ids match case-insensitively); empty when it has none.</summary>
    Task<IReadOnlyList<NuGetVersion>> ListVersionsAsync(string id, CancellationToken cancellationToken);
}
