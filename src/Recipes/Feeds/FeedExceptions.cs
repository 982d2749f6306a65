namespace Recipes.Feeds;

/// <summary>
/// The feed already holds this package id and version with different content. Published versions are immutable,
/// so nothing was pushed. Where the feed serves its copy, the message lists the files inside that differ.
/// </summary>
public sealed class FeedConflictException : RecipeException
{
    /// <summary>Creates the exception for <paramref name="package"/>, whose id and version the feed holds with other bytes.</summary>
    /// <param name="package">The local package that could not be published.</param>
    /// <param name="feedSha512">The SHA-512 of the feed's copy, or null when the feed refused the version but cannot serve it.</param>
    /// <param name="feedDisplayName">The feed, as it may be shown.</param>
    public FeedConflictException(PackageFile package, string? feedSha512, string feedDisplayName)
        : this(package, feedSha512, feedDisplayName, differences: null)
    {
    }

    /// <summary>Creates the exception with the files that differ between the feed's copy and <paramref name="package"/>.</summary>
    internal FeedConflictException(PackageFile package, string? feedSha512, string feedDisplayName, PackageEntryDifferences? differences)
        : base(Describe(package, feedSha512, feedDisplayName, differences))
    {
        Package = package;
        FeedSha512 = feedSha512;
    }

    /// <summary>The local package that could not be published.</summary>
    public PackageFile Package { get; }

    /// <summary>The SHA-512 of the feed's copy, or null when the feed could not serve it.</summary>
    public string? FeedSha512 { get; }

    private static string Describe(PackageFile package, string? feedSha512, string feed, PackageEntryDifferences? differences)
    {
        var local = Short(package.Sha512);
        if (feedSha512 is null)
        {
            return $"{feed} refused {package.Id} {package.Version} (local sha512 {local}) because it has that version, but it serves no copy to compare; " +
                   "published versions are immutable: if it was just published, wait until the feed shows it and run again, otherwise bump the version (make a new commit)";
        }

        // Same commit, same version: the version is not at fault, the build that produced other files is.
        var conflict = $"{package.Id} {package.Version} is already in {feed} with different content (feed sha512 {Short(feedSha512)}, local sha512 {local}); " +
                       "published versions are immutable, so nothing was pushed";
        return differences switch
        {
            null => conflict + ". This build differs from the one that published it (uncommitted changes, or outputs that depend on what the " +
                    "working tree held); the published package stays: build a clean clone of the commit to reproduce it, and commit changes to publish them as a new version",
            { SameFiles: true } => conflict + ". The files inside are the same: only the zip differs (entry dates, order, or NuGet's packaging parts), " +
                    "so this pack is not reproducible: pack with Deterministic and DeterministicTimestamp set, as the Package stage does",
            _ => conflict + ": this working tree built other files than the build that published it (uncommitted changes, or an output that depends on " +
                 "what the working tree held, such as a DocumentationFile two target frameworks share); the published package stays: build a clean clone " +
                 "of the commit to reproduce it, and commit changes to publish them as a new version. Files that differ:" +
                 string.Concat(differences.Lines().Select(line => "\n  " + line)),
        };
    }

    private static string Short(string digest) => digest.Length <= 12 ? digest : digest[..12];
}

/// <summary>The feed refused the API key (HTTP 401 or 403).</summary>
public sealed class FeedAuthenticationException : RecipeException
{
    /// <summary>Creates the exception with a message that names the feed and the status code, never the key.</summary>
    public FeedAuthenticationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names the feed and the status code, never the key.</summary>
    public FeedAuthenticationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The feed could not be reached, or kept failing, after every retry.</summary>
public sealed class FeedUnavailableException : RecipeException
{
    /// <summary>Creates the exception with a message that names the URL and what was tried.</summary>
    public FeedUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names the URL and what was tried.</summary>
    public FeedUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The feed's location or its answers make no sense: a malformed URL, a service index without the needed resources.</summary>
public sealed class FeedConfigurationException : RecipeException
{
    /// <summary>Creates the exception with a message that says what to fix.</summary>
    public FeedConfigurationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message that says what to fix.</summary>
    public FeedConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// Thrown by <see cref="IPackageFeed.PushAsync"/> when the feed already has the package's id and version (HTTP 409,
/// or an existing file). <see cref="FeedPublisher"/> then compares digests: the same bytes are no error.
/// </summary>
public sealed class PackageAlreadyInFeedException : RecipeException
{
    /// <summary>Creates the exception for <paramref name="package"/> and the feed that refused it.</summary>
    public PackageAlreadyInFeedException(PackageFile package, string feedDisplayName)
        : base($"{package.Id} {package.Version} is already in {feedDisplayName}")
    {
        Package = package;
    }

    /// <summary>Creates the exception for <paramref name="package"/>, the feed that refused it and the refusal.</summary>
    public PackageAlreadyInFeedException(PackageFile package, string feedDisplayName, Exception innerException)
        : base($"{package.Id} {package.Version} is already in {feedDisplayName}", innerException)
    {
        Package = package;
    }

    /// <summary>The package the feed refused.</summary>
    public PackageFile Package { get; }
}
