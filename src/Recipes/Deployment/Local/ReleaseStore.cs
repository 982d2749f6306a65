using System.Globalization;
using NuGet.Packaging;
using Recipes.Feeds;

namespace Recipes.Deployment.Local;

/// <summary>
/// The releases of one environment on this machine (such as <c>.recipes/releases/production/</c>): each deployment
/// downloads the artifact the manifest names, proves it is the same bytes, and unpacks it into a fresh read-only
/// folder <c>&lt;id&gt;-&lt;version&gt;-&lt;short digest&gt;-&lt;timestamp&gt;</c>. Folders are never reused or patched.
/// </summary>
internal sealed class ReleaseStore
{
    internal const string AppFolder = "app/";
    private const string TimestampFormat = "yyyyMMdd'T'HHmmssfff'Z'";
    private const string StagingPrefix = ".staging-";

    private readonly TimeProvider _clock;

    /// <summary>Creates the store for <paramref name="root"/>, which is created on the first prepare if absent.</summary>
    public ReleaseStore(string root, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The store's folder.</summary>
    public string Root { get; }

    /// <summary>
    /// Downloads <paramref name="id"/> <paramref name="version"/> from <paramref name="feed"/>, checks its SHA-512
    /// against <paramref name="expectedSha512"/> before anything is unpacked, and unpacks its <c>app/</c> files into a
    /// new read-only release folder, which appears whole (renamed from a staging sibling) or not at all.
    /// </summary>
    /// <exception cref="ReleaseDigestMismatchException">The feed's copy has other bytes than the manifest says; nothing is left behind.</exception>
    /// <exception cref="RecipeException">The feed lacks the package, or it holds no runnable app.</exception>
    public async Task<Release> PrepareAsync(IPackageFeed feed, string id, string version, string expectedSha512, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedSha512);
        var expected = expectedSha512.Trim().ToLowerInvariant();

        var download = await DownloadAsync(feed, id, version, cancellationToken);
        try
        {
            if (download.Sha512 != expected)
            {
                throw new ReleaseDigestMismatchException(
                    $"{id} {version} in {feed.DisplayName} has SHA-512 {download.Sha512[..12]}… but the manifest says {Short(expected)}…; the feed's copy was changed: refusing to deploy");
            }

            return Unpack(download, id, version);
        }
        finally
        {
            File.Delete(download.Path);
        }
    }

    /// <summary>
    /// Downloads <paramref name="id"/> <paramref name="version"/> from <paramref name="feed"/> into a private file of
    /// the store (the caller deletes it) and measures its SHA-512; nothing is unpacked.
    /// </summary>
    /// <exception cref="RecipeException">The feed lacks the package.</exception>
    internal async Task<DownloadedPackage> DownloadAsync(IPackageFeed feed, string id, string version, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(Root);
        var download = Path.Combine(Root, StagingPrefix + Guid.NewGuid().ToString("N")) + ".nupkg";
        try
        {
            var actual = await PackageFiles.DownloadWithSha512Async(feed, id, version, download, PrivateFiles.CreateNew(FileAccess.ReadWrite), cancellationToken)
                ?? throw new RecipeException($"{id} {version} is not in {feed.DisplayName}; publish it there (the Publish stage) before deploying it");
            return new DownloadedPackage(download, actual, version);
        }
        catch
        {
            File.Delete(download);
            throw;
        }
    }

    /// <summary>
    /// Unpacks a downloaded package, whose digest the caller has checked, into a new read-only release folder, which
    /// appears whole (renamed from a staging sibling) or not at all.
    /// </summary>
    /// <exception cref="RecipeException">It holds no runnable app.</exception>
    internal Release Unpack(DownloadedPackage download, string id, string version)
    {
        var staging = Path.Combine(Root, StagingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            Unpack(download.Path, staging, id, version);
            var entryAssembly = FindEntryAssembly(staging, id, version);
            // A package keeps no file modes: a native executable is made one again before the folder is sealed.
            NativeExecutables.MarkExecutable(entryAssembly);
            ReleaseFolders.MakeReadOnly(staging);
            var folder = MoveIntoPlace(staging, $"{id}-{version}-{Short(download.Sha512)}");
            return new Release(id, version, download.Sha512, folder, Path.Combine(folder, Path.GetRelativePath(staging, entryAssembly)));
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>
    /// The newest folder already unpacked from <paramref name="id"/> <paramref name="version"/> with
    /// <paramref name="digest"/>, or null. Its files were checked when it was unpacked and are read-only since, so a
    /// rollback can start it again without the feed.
    /// </summary>
    public Release? FindExisting(string id, string version, string digest)
    {
        var expected = digest.Trim().ToLowerInvariant();
        var prefix = $"{id}-{version}-{Short(expected)}-";
        var folder = ListFolders().LastOrDefault(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal));
        if (folder is null)
        {
            return null;
        }

        try
        {
            return new Release(id, version, expected, folder, FindEntryAssembly(folder, id, version));
        }
        catch (RecipeException)
        {
            return null;
        }
    }

    /// <summary>The release folders in the store, oldest first (by the timestamp in their names).</summary>
    public IReadOnlyList<string> ListFolders() =>
        !Directory.Exists(Root)
            ? []
            : [.. Directory.EnumerateDirectories(Root)
                .Where(folder => !Path.GetFileName(folder).StartsWith('.'))
                .OrderBy(TimestampOf)
                .ThenBy(folder => folder, StringComparer.Ordinal)];

    /// <summary>
    /// Deletes every release folder except the newest <paramref name="keep"/> and those in <paramref name="inUse"/>
    /// (see <see cref="ProcessSupervisor.FoldersInUse"/>), which are never deleted.
    /// </summary>
    /// <returns>The folders deleted.</returns>
    public IReadOnlyList<string> Prune(int keep, IEnumerable<string>? inUse = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        var used = new HashSet<string>((inUse ?? []).Select(path => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))), StringComparer.Ordinal);
        var candidates = ListFolders().Where(folder => !used.Contains(folder)).ToList();
        var doomed = candidates.Take(Math.Max(0, candidates.Count - keep)).ToList();
        foreach (var folder in doomed)
        {
            ReleaseFolders.Delete(folder);
        }

        return doomed;
    }

    private static void Unpack(string package, string target, string id, string version)
    {
        Directory.CreateDirectory(target);
        var targetRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target)) + Path.DirectorySeparatorChar;
        using var reader = new PackageArchiveReader(package);
        var files = reader.GetFiles().Where(file => file.StartsWith(AppFolder, StringComparison.Ordinal) && !file.EndsWith('/')).ToList();
        if (files.Count == 0)
        {
            throw new RecipeException($"{id} {version} has no app/ folder, so it is not a deployable package; pack the app with the Package stage");
        }

        foreach (var file in files)
        {
            var destination = Path.GetFullPath(Path.Combine(target, file[AppFolder.Length..]));
            if (!destination.StartsWith(targetRoot, StringComparison.Ordinal))
            {
                throw new RecipeException($"{id} {version} holds the file {file}, which points outside its folder: refusing to unpack it");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using var source = reader.GetStream(file);
            using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
            source.CopyTo(output);
        }
    }

    /// <summary>The app's entry point in an unpacked release folder, by <see cref="AppEntryPoint.Choose"/>.</summary>
    /// <exception cref="RecipeException">The folder holds none.</exception>
    internal static string FindEntryAssembly(string folder, string id, string version)
    {
        var files = NativeExecutables.TopFileNames(folder);
        return AppEntryPoint.Choose(id, files, NativeExecutables.IsNativeImageIn(folder), OperatingSystem.IsWindows()) is { } entry
            ? Path.Combine(folder, entry)
            : throw new RecipeException($"{id} {version} has {AppEntryPoint.NoneFound(id, files)}");
    }

    /// <summary>Renames the staging folder to a new name; a name already taken (the same millisecond) gets a suffix.</summary>
    private string MoveIntoPlace(string staging, string stem)
    {
        var stamp = _clock.GetUtcNow().UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
        for (var attempt = 0; ; attempt++)
        {
            var folder = Path.Combine(Root, attempt == 0 ? $"{stem}-{stamp}" : $"{stem}-{stamp}-{attempt}");
            if (Directory.Exists(folder) || File.Exists(folder))
            {
                continue;
            }

            try
            {
                Directory.Move(staging, folder);
                return folder;
            }
            catch (IOException) when (Directory.Exists(folder) && attempt < 100)
            {
                // Another deployment took the name between the look and the rename; try the next one.
            }
        }
    }

    private static string TimestampOf(string folder)
    {
        // <id>-<version>-<digest>-<timestamp>[-n]: the timestamp is the part that parses as one.
        var parts = Path.GetFileName(folder).Split('-');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            if (DateTime.TryParseExact(parts[i], TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return parts[i] + (i < parts.Length - 1 ? "-" + parts[^1].PadLeft(4, '0') : string.Empty);
            }
        }

        return string.Empty;
    }

    private static string Short(string digest) => digest.Length > 12 ? digest[..12] : digest;

    private static void TryDelete(string folder)
    {
        try
        {
            ReleaseFolders.Delete(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original error matters more; a staging folder left behind is hidden and never listed.
        }
    }
}

/// <summary>A package downloaded into the store, not yet unpacked.</summary>
/// <param name="Path">The downloaded file.</param>
/// <param name="Sha512">Its SHA-512, lowercase hex.</param>
/// <param name="Version">The version downloaded.</param>
internal sealed record DownloadedPackage(string Path, string Sha512, string Version);
