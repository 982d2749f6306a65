using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Local;

/// <summary>
/// An artifact unpacked for running: its <c>app/</c> files in a fresh, read-only folder of its own. Nothing in the
/// folder is ever changed; a new deployment of the same version gets a new folder.
/// </summary>
/// <param name="Id">The package id, such as <c>Acme.Shop.Api</c>.</param>
/// <param name="Version">The package version.</param>
/// <param name="Digest">The lowercase hex SHA-512 of the package the files came from, as the manifest gave it.</param>
/// <param name="Folder">The full path of the release folder.</param>
/// <param name="EntryAssembly">
/// The full path of the app's main dll, which <c>dotnet</c> runs, or of its native executable (a Native AOT publish),
/// which runs by itself. (The name is kept for the state files of releases already running.)
/// </param>
internal sealed record Release(string Id, string Version, string Digest, string Folder, string EntryAssembly) : IPreparedRelease
{
    string IPreparedRelease.Location => Folder;

    /// <summary>The first 12 hex digits of <see cref="Digest"/>, for folder names and messages.</summary>
    public string ShortDigest => Digest.Length > 12 ? Digest[..12] : Digest;

    /// <summary>The program and arguments that start the app with <paramref name="arguments"/>.</summary>
    public (string Program, IReadOnlyList<string> Arguments) Command(params string[] arguments) => NativeExecutables.Command(EntryAssembly, arguments);
}
