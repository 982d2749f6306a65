namespace Recipes.Deployment;

/// <summary>
/// The copy of an artifact that a deployment fetched (a package in the feed, an image in the registry) is not the one
/// the manifest describes (its digest differs), so it is not the build that passed its tests; nothing of it runs.
/// </summary>
internal sealed class ReleaseDigestMismatchException : RecipeException
{
    /// <summary>Creates the exception with a message that names the package, the feed and both digests.</summary>
    public ReleaseDigestMismatchException(string message) : base(message)
    {
    }
}
