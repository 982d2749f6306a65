using NuGet.Packaging;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using NuGetLogLevel = NuGet.Common.LogLevel;

namespace Recipes.Feeds;

/// <summary>
/// A feed that is a folder (local or a share), in NuGet's flat layout <c>Id.Version.nupkg</c>. A package appears in
/// it all at once or not at all: it is staged inside the folder and renamed into place, and nothing is overwritten.
/// </summary>
public sealed partial class FolderFeed : IPackageFeed, IPackageVersionListing
{
    /// <summary>
    /// Holds one staging folder per publish under way. NuGet's folder readers look for packages at the top and one
    /// level down (the packages.config layout), so a package staged two levels down is invisible to them.
    /// </summary>
    internal const string StagingDirectoryName = ".recipes-staging";

    private const string NupkgExtension = ".nupkg";

    /// <summary>A publish killed mid-way leaves its staging folder behind; one this old belongs to no live publish.</summary>
    private static readonly TimeSpan AbandonedStagingAge = TimeSpan.FromHours(1);

    private readonly Action<string> _log;

    /// <summary>Creates the feed for <paramref name="directory"/>, which is created on the first push if absent.</summary>
    public FolderFeed(string directory, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = System.IO.Path.GetFullPath(directory);
        _log = log ?? (_ => { });
    }

    /// <summary>The feed folder's full path.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public string DisplayName => Directory;

    /// <inheritdoc />
    public Task<string?> GetSha512Async(string id, string version, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = FindPackage(id, NuGetVersion.Parse(version));
        return Task.FromResult(path is null ? null : PackageFiles.Sha512HexOfFile(path));
    }

    /// <inheritdoc />
    public async Task<bool> DownloadAsync(string id, string version, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        cancellationToken.ThrowIfCancellationRequested();
        var path = FindPackage(id, NuGetVersion.Parse(version));
        if (path is null)
        {
            return false;
        }

        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        await source.CopyToAsync(destination, cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task PushAsync(PackageFile package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        cancellationToken.ThrowIfCancellationRequested();
        System.IO.Directory.CreateDirectory(Directory);
        if (FindPackage(package.Id, NuGetVersion.Parse(package.Version)) is not null)
        {
            throw new PackageAlreadyInFeedException(package, DisplayName);
        }

        SweepAbandonedStaging();
        var staging = CreateStagingDirectory();
        try
        {
            var staged = await StageWithNuGetAsync(package, staging, cancellationToken);
            if (PackageFiles.Sha512HexOfFile(staged) != package.Sha512)
            {
                throw new RecipeException($"{package.Path} changed while it was being published; rebuild the packages and publish again");
            }

            cancellationToken.ThrowIfCancellationRequested();
            var target = System.IO.Path.Combine(Directory, System.IO.Path.GetFileName(staged));
            // Same file system, one atomic step: the package appears whole, and a racing publisher's copy is never replaced.
            if (!ExclusiveRename.TryMove(staged, target))
            {
                throw new PackageAlreadyInFeedException(package, DisplayName);
            }

            _log($"Added {package.Id} {package.Version} to {DisplayName}");
        }
        finally
        {
            TryDeleteDirectory(staging);
            TryDeleteIfEmpty(System.IO.Path.GetDirectoryName(staging)!);
        }
    }

    /// <summary>Lets NuGet's own folder push write the package into the empty staging folder, then finds what it wrote.</summary>
    private async Task<string> StageWithNuGetAsync(PackageFile package, string staging, CancellationToken cancellationToken)
    {
        var repository = Repository.Factory.GetCoreV3(staging);
        var update = await repository.GetResourceAsync<PackageUpdateResource>(cancellationToken)
            ?? throw new RecipeException($"NuGet cannot push to the folder {staging}");

        // NuGet's informational lines would name the staging folder, which only confuses: keep its warnings and errors.
        var nugetLog = new NuGetLogForwarder(_log, NuGetLogLevel.Warning, SecretRedactor.None);
        await update.PushAsync(
            packagePaths: [package.Path],
            symbolSource: string.Empty,
            timeoutInSecond: 300,
            disableBuffering: false,
            getApiKey: _ => string.Empty,
            getSymbolApiKey: _ => string.Empty,
            noServiceEndpoint: false,
            skipDuplicate: false,
            allowSnupkg: false,
            allowInsecureConnections: false,
            log: nugetLog);

        var written = System.IO.Directory.GetFiles(staging, "*" + NupkgExtension);
        return written.Length == 1
            ? written[0]
            : throw new RecipeException($"NuGet's push of {package.Path} left {written.Length} packages in {staging} instead of one");
    }

    /// <summary>Finds the feed's copy in the flat layout or, failing that, the hierarchical v3 layout; ids match case-insensitively.</summary>
    private string? FindPackage(string id, NuGetVersion version)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return null;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + NupkgExtension))
        {
            var name = System.IO.Path.GetFileName(file);
            if (name.Length > id.Length + 1 + NupkgExtension.Length
                && name.StartsWith(id + ".", StringComparison.OrdinalIgnoreCase)
                && name.EndsWith(NupkgExtension, StringComparison.OrdinalIgnoreCase)
                && NuGetVersion.TryParse(name[(id.Length + 1)..^NupkgExtension.Length], out var fileVersion)
                && fileVersion == version
                && IsPackage(file, id, version))
            {
                return file;
            }
        }

        foreach (var idDirectory in System.IO.Directory.EnumerateDirectories(Directory))
        {
            if (!string.Equals(System.IO.Path.GetFileName(idDirectory), id, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var versionDirectory in System.IO.Directory.EnumerateDirectories(idDirectory))
            {
                var versionName = System.IO.Path.GetFileName(versionDirectory);
                if (!NuGetVersion.TryParse(versionName, out var directoryVersion) || directoryVersion != version)
                {
                    continue;
                }

                var expected = $"{id}.{versionName}{NupkgExtension}";
                var match = System.IO.Directory.EnumerateFiles(versionDirectory, "*" + NupkgExtension)
                    .FirstOrDefault(file => string.Equals(System.IO.Path.GetFileName(file), expected, StringComparison.OrdinalIgnoreCase));
                if (match is not null)
                {
                    return match;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A flat-layout name can be read two ways (<c>A.1.2.0.nupkg</c> is A 1.2.0 or A.1 2.0), so the nuspec decides.
    /// A file that cannot be read still occupies the name, so it counts as the package.
    /// </summary>
    private static bool IsPackage(string file, string id, NuGetVersion version)
    {
        try
        {
            using var reader = new PackageArchiveReader(file);
            var identity = reader.NuspecReader.GetIdentity();
            return string.Equals(identity.Id, id, StringComparison.OrdinalIgnoreCase) && identity.Version == version;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return true;
        }
    }

    private string CreateStagingDirectory()
    {
        var staging = System.IO.Path.Combine(Directory, StagingDirectoryName, Guid.NewGuid().ToString("N"));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return System.IO.Directory.CreateDirectory(staging).FullName;
            }
            catch (DirectoryNotFoundException) when (attempt < 3)
            {
                // Another publisher removed the (then empty) staging root between our two mkdirs; make it again.
            }
        }
    }

    private void SweepAbandonedStaging()
    {
        var root = System.IO.Path.Combine(Directory, StagingDirectoryName);
        if (!System.IO.Directory.Exists(root))
        {
            return;
        }

        foreach (var staging in System.IO.Directory.EnumerateDirectories(root))
        {
            if (DateTime.UtcNow - System.IO.Directory.GetLastWriteTimeUtc(staging) > AbandonedStagingAge)
            {
                TryDeleteDirectory(staging);
            }
        }
    }

    private static void TryDeleteIfEmpty(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not empty: another publish is staging there, and it will tidy up after itself.
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Staging folders are invisible to feed readers; one left behind is swept by a later publish.
        }
    }
}
