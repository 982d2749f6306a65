using System.Security.Cryptography;
using System.Text;
using Recipes.Deployment.Local;

namespace Recipes.Deployment.Routing;

/// <summary>
/// The routers' own copies of Recipes.Router, in <c>&lt;state&gt;/routers/&lt;content hash&gt;/</c>: read-only like a
/// release folder, made once (whole or not at all), and never touched by a rebuild of the build program, whose
/// <c>router/</c> folder they are copied from. A newer router gets a folder of its own beside the running one's.
/// </summary>
internal static class RouterCopies
{
    /// <summary>The folder under the state folder that holds the copies.</summary>
    public const string FolderName = "routers";

    private const string StagingPrefix = ".staging-";

    /// <summary>
    /// The router assembly in the state folder's copy of <paramref name="sourceAssembly"/>'s folder, copied there first
    /// when no copy of these exact files exists.
    /// </summary>
    public static string Ensure(string stateDirectory, string sourceAssembly)
    {
        var source = Path.GetDirectoryName(Path.GetFullPath(sourceAssembly))!;
        var root = Path.Combine(stateDirectory, FolderName);
        var folder = Path.Combine(root, ContentHash(source));
        var assembly = Path.Combine(folder, Path.GetFileName(sourceAssembly));
        if (File.Exists(assembly))
        {
            return assembly;
        }

        // Copied beside its final place and renamed into it, so that a second deploy at the same time never sees half a copy.
        PrivateFiles.CreateDirectory(root);
        var staging = Path.Combine(root, StagingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            CopyFolder(source, staging);
            ReleaseFolders.MakeReadOnly(staging);
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(assembly))
        {
            // The other deploy renamed its identical copy into place first.
        }
        finally
        {
            ReleaseFolders.Delete(staging);
        }

        return assembly;
    }

    /// <summary>
    /// Deletes the copies no process runs from (a router of another environment may still run an older one), so
    /// that every upgrade of the recipe does not leave a copy behind for good. Only where <c>/proc</c> tells which
    /// process runs what; elsewhere copies stay. A copy younger than <paramref name="minimumAge"/> stays too: another
    /// deploy may have just made it and not started its router yet.
    /// </summary>
    /// <returns>The copies deleted.</returns>
    public static IReadOnlyList<string> Prune(string stateDirectory, string keepAssembly, TimeSpan minimumAge)
    {
        var root = Path.Combine(stateDirectory, FolderName);
        if (!Directory.Exists(root) || !Directory.Exists("/proc/self"))
        {
            return [];
        }

        var keep = Path.GetDirectoryName(Path.GetFullPath(keepAssembly));
        var commandLines = RunningCommandLines();
        var deleted = new List<string>();
        foreach (var folder in Directory.GetDirectories(root))
        {
            var unused = folder != keep
                && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) >= minimumAge
                && !commandLines.Any(line => line.Contains(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            if (unused)
            {
                ReleaseFolders.Delete(folder);
                deleted.Add(folder);
            }
        }

        return deleted;
    }

    private static List<string> RunningCommandLines()
    {
        var lines = new List<string>();
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                // Arguments are NUL-separated; a space keeps two of them from running into one path.
                lines.Add(File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' '));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to read: neither runs a router of ours.
            }
        }

        return lines;
    }

    /// <summary>The first 16 hex digits of a SHA-256 over every file's relative path, length and bytes, in ordinal order.</summary>
    internal static string ContentHash(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetRelativePath(folder, file).Replace('\\', '/')}\0{new FileInfo(file).Length}\0"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(destination, File.GetUnixFileMode(file));
            }
        }
    }
}
