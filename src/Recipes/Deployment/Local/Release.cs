namespace Recipes.Deployment.Local;

/// <summary>
/// An artifact unpacked for running: its <c>app/</c> files in a fresh, read-only folder of its own. Nothing in the
/// folder is ever changed; a new deployment of the same version gets a new folder.
/// </summary>
/// <param name="Id">The package id, such as <c>Acme.Shop.Api</c>.</param>
/// <param name="Version">The package version.</param>
/// <param name="Digest">The lowercase hex SHA-512 of the package the files came from, as the manifest gave it.</param>
/// <param name="Folder">The full path of the release folder.</param>
/// <param name="EntryAssembly">The full path of the app's main dll, which <c>dotnet</c> runs.</param>
public sealed record Release(string Id, string Version, string Digest, string Folder, string EntryAssembly)
{
    /// <summary>The first 12 hex digits of <see cref="Digest"/>, for folder names and messages.</summary>
    public string ShortDigest => Digest.Length > 12 ? Digest[..12] : Digest;
}

/// <summary>
/// The feed's copy of a package is not the one the manifest describes (its SHA-512 differs), so it is not the build
/// that passed its tests; nothing is unpacked.
/// </summary>
public sealed class ReleaseDigestMismatchException : RecipeException
{
    /// <summary>Creates the exception with a message that names the package, the feed and both digests.</summary>
    public ReleaseDigestMismatchException(string message) : base(message)
    {
    }
}

/// <summary>A started release did not become healthy in time, or exited before it did.</summary>
public sealed class ReleaseUnhealthyException : RecipeException
{
    /// <summary>Creates the exception with a message that says what was asked, what came back and where the log is.</summary>
    public ReleaseUnhealthyException(string message) : base(message)
    {
    }
}
