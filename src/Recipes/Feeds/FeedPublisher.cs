namespace Recipes.Feeds;

/// <summary>
/// Publishes a set of packages to a feed as one decision: every package is checked before anything is pushed, so a
/// conflict (same id and version, different bytes) stops the whole set and leaves the feed as it was. Packages the
/// feed already holds byte for byte are left alone, which makes a re-run of a publish harmless.
/// </summary>
public sealed class FeedPublisher
{
    private readonly IPackageFeed _feed;
    private readonly Action<string> _log;

    /// <summary>Creates a publisher for <paramref name="feed"/>.</summary>
    public FeedPublisher(IPackageFeed feed, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _feed = feed;
        _log = log ?? (_ => { });
    }

    /// <summary>Publishes the packages, in the order given.</summary>
    /// <returns>Each package and whether it was pushed or already present.</returns>
    /// <exception cref="FeedConflictException">The feed holds one of the versions with other bytes; nothing was pushed.</exception>
    public async Task<IReadOnlyList<PublishedPackage>> PublishAsync(IEnumerable<string> nupkgPaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nupkgPaths);
        var packages = Distinct(nupkgPaths.Select(PackageFiles.Read).ToList());
        if (packages.Count == 0)
        {
            _log($"No packages to publish to {_feed.DisplayName}");
            return [];
        }

        _log($"Checking {Count(packages.Count)} against {_feed.DisplayName}");
        var present = new HashSet<PackageFile>();
        var conflicts = new List<FeedConflictException>();
        foreach (var package in packages)
        {
            var feedSha512 = await _feed.GetSha512Async(package.Id, package.Version, cancellationToken);
            if (feedSha512 is null)
            {
                continue;
            }

            if (SameDigest(feedSha512, package.Sha512))
            {
                present.Add(package);
            }
            else
            {
                conflicts.Add(await ConflictAsync(package, feedSha512, cancellationToken));
            }
        }

        if (conflicts.Count > 0)
        {
            conflicts.ForEach(conflict => _log(conflict.Message));
            throw conflicts[0];
        }

        var published = new List<PublishedPackage>(packages.Count);
        foreach (var package in packages)
        {
            var result = present.Contains(package) ? PublishResult.AlreadyPresent : await PushAsync(package, cancellationToken);
            if (result == PublishResult.AlreadyPresent)
            {
                _log($"{package.Id} {package.Version} is already in the feed with the same content; nothing to do");
            }

            published.Add(new PublishedPackage(package, result));
        }

        return published;
    }

    private async Task<PublishResult> PushAsync(PackageFile package, CancellationToken cancellationToken)
    {
        try
        {
            await _feed.PushAsync(package, cancellationToken);
            return PublishResult.Pushed;
        }
        catch (PackageAlreadyInFeedException)
        {
            // Someone published the same version since the check (or the feed was slow to show it): the bytes decide.
            var feedSha512 = await _feed.GetSha512Async(package.Id, package.Version, cancellationToken);
            return feedSha512 is not null && SameDigest(feedSha512, package.Sha512)
                ? PublishResult.AlreadyPresent
                : throw await ConflictAsync(package, feedSha512, cancellationToken);
        }
    }

    /// <summary>
    /// The conflict, with the files inside that differ from the feed's copy: digests alone leave the user guessing
    /// whether the version or the build is at fault. Without a copy to compare, the digests are all there is.
    /// </summary>
    private async Task<FeedConflictException> ConflictAsync(PackageFile package, string? feedSha512, CancellationToken cancellationToken)
    {
        PackageEntryDifferences? differences = null;
        if (feedSha512 is not null)
        {
            try
            {
                await using var feedCopy = new FileStream(
                    System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"recipes-feed-copy-{Guid.NewGuid():N}.nupkg"),
                    FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                if (await _feed.DownloadAsync(package.Id, package.Version, feedCopy, cancellationToken))
                {
                    await using var local = new FileStream(package.Path, FileMode.Open, FileAccess.Read, FileShare.Read);
                    differences = PackageEntryDifferences.Compare(local, feedCopy);
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or RecipeException)
            {
                _log($"Could not compare {package.Id} {package.Version} with the feed's copy file by file ({e.Message})");
            }
        }

        return new FeedConflictException(package, feedSha512, _feed.DisplayName, differences);
    }

    /// <summary>The same file twice is one package; two different files with one id and version cannot both be published.</summary>
    private static List<PackageFile> Distinct(List<PackageFile> packages)
    {
        var byIdentity = new Dictionary<(string Id, string Version), PackageFile>();
        var distinct = new List<PackageFile>();
        foreach (var package in packages)
        {
            var key = (package.Id.ToLowerInvariant(), package.Version.ToLowerInvariant());
            if (!byIdentity.TryGetValue(key, out var earlier))
            {
                byIdentity[key] = package;
                distinct.Add(package);
            }
            else if (!SameDigest(earlier.Sha512, package.Sha512))
            {
                throw new RecipeException($"{earlier.Path} and {package.Path} are both {package.Id} {package.Version} with different content; publish one of them");
            }
        }

        return distinct;
    }

    private static bool SameDigest(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

    private static string Count(int packages) => packages == 1 ? "1 package" : $"{packages} packages";
}
