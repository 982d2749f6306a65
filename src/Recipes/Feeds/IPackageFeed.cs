namespace Recipes.Feeds;

/// <summary>A place packages are published to: a folder or a NuGet v3 server.</summary>
public interface IPackageFeed
{
    /// <summary>The folder path or URL, for messages; it never contains a secret.</summary>
    string DisplayName { get; }

    /// <summary>The lowercase hex SHA-512 of the feed's copy of <paramref name="id"/> <paramref name="version"/>, or null when the feed lacks it.</summary>
    Task<string?> GetSha512Async(string id, string version, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the feed's copy of <paramref name="id"/> <paramref name="version"/> into <paramref name="destination"/>,
    /// byte for byte; false when the feed lacks it. The caller checks the bytes (their SHA-512) before trusting them.
    /// </summary>
    Task<bool> DownloadAsync(string id, string version, Stream destination, CancellationToken cancellationToken);

    /// <summary>Adds the package to the feed.</summary>
    /// <exception cref="PackageAlreadyInFeedException">The feed already has this id and version.</exception>
    Task PushAsync(PackageFile package, CancellationToken cancellationToken);
}

/// <summary>What publishing did with one package.</summary>
public enum PublishResult
{
    /// <summary>The package was added to the feed.</summary>
    Pushed,

    /// <summary>The feed already held these exact bytes, so there was nothing to do.</summary>
    AlreadyPresent,
}

/// <summary>One package and what publishing did with it.</summary>
/// <param name="Package">The package.</param>
/// <param name="Result">Whether it was pushed or already there.</param>
public sealed record PublishedPackage(PackageFile Package, PublishResult Result);
