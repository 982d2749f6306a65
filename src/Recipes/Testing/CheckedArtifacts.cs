using NuGet.Common;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using Recipes.Artifacts;
using Recipes.Feeds;

namespace Recipes.Testing;

/// <summary>
/// Puts a manifest's artifacts into the acceptance stage's packages folder from checked bytes: each is downloaded from
/// the feed and its SHA-512 compared with the manifest's, and only when all match are they installed, in NuGet's own
/// layout, where restore looks before any source. Restore then asks no source for them: what is tested is what was checked.
/// </summary>
/// <param name="feed">Where the artifacts were published.</param>
/// <param name="downloadFolder">Holds the checked .nupkg files; emptied first. It serves as a folder source for restore.</param>
/// <param name="packagesFolder">The NuGet packages folder the acceptance restore uses (its <c>RestorePackagesPath</c>).</param>
internal sealed class CheckedArtifacts(IPackageFeed feed, string downloadFolder, string packagesFolder)
{
    /// <summary>Checks every artifact, then installs them all; nothing is installed when any fails its check.</summary>
    /// <exception cref="RecipeException">An artifact is missing from the feed, or the feed's copy is not the manifest's bytes.</exception>
    public async Task InstallAsync(IReadOnlyList<ArtifactEntry> artifacts, CancellationToken cancellationToken)
    {
        if (Directory.Exists(downloadFolder))
        {
            Directory.Delete(downloadFolder, recursive: true);
        }

        Directory.CreateDirectory(downloadFolder);
        var checkedFiles = new List<(ArtifactEntry Artifact, string File)>();
        foreach (var artifact in artifacts)
        {
            checkedFiles.Add((artifact, await DownloadCheckedAsync(artifact, cancellationToken)));
        }

        foreach (var (artifact, file) in checkedFiles)
        {
            await InstallCheckedAsync(artifact, file, cancellationToken);
        }
    }

    private async Task<string> DownloadCheckedAsync(ArtifactEntry artifact, CancellationToken cancellationToken)
    {
        var version = NuGetVersion.Parse(artifact.Version).ToNormalizedString();
        var file = Path.Combine(downloadFolder, $"{artifact.Id}.{version}.nupkg");
        var actual = await PackageFiles.DownloadWithSha512Async(
            feed, artifact.Id, version, file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None }, cancellationToken);
        if (actual is not null && string.Equals(actual, artifact.Sha512, StringComparison.OrdinalIgnoreCase))
        {
            return file;
        }

        File.Delete(file);
        throw new RecipeException(actual is null
            ? $"{artifact.Id} {version} is not in {feed.DisplayName}; publish it there (the Publish stage) before the acceptance stage"
            : $"{artifact.Id} {version} in {feed.DisplayName} has SHA-512 {Short(actual)}… but the manifest says {Short(artifact.Sha512)}…; the feed's copy was changed: refusing to test it");
    }

    /// <summary>Installs the checked file with NuGet's extractor, replacing any earlier install of that id, then checks what landed.</summary>
    private async Task InstallCheckedAsync(ArtifactEntry artifact, string file, CancellationToken cancellationToken)
    {
        var identity = new PackageIdentity(artifact.Id, NuGetVersion.Parse(artifact.Version));
        var idFolder = Path.Combine(packagesFolder, identity.Id.ToLowerInvariant());
        if (Directory.Exists(idFolder))
        {
            Directory.Delete(idFolder, recursive: true);
        }

        var layout = new VersionFolderPathResolver(packagesFolder);
        var extraction = new PackageExtractionContext(PackageSaveMode.Defaultv3, XmlDocFileSaveMode.None, clientPolicyContext: null, NullLogger.Instance);
        await PackageExtractor.InstallFromSourceAsync(
            downloadFolder,
            identity,
            async target =>
            {
                await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
                await source.CopyToAsync(target, cancellationToken);
            },
            layout,
            extraction,
            cancellationToken,
            Guid.Empty);

        var installed = layout.GetPackageFilePath(identity.Id, identity.Version);
        if (!File.Exists(installed) || !string.Equals(PackageFiles.Sha512HexOfFile(installed), artifact.Sha512, StringComparison.OrdinalIgnoreCase))
        {
            throw new RecipeException($"installing {artifact.Id} {artifact.Version} into {packagesFolder} did not leave the checked package at {installed}; delete {packagesFolder} and run again");
        }
    }

    private static string Short(string digest) => digest.Length <= 12 ? digest : digest[..12];
}
