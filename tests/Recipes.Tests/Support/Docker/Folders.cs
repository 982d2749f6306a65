using Recipes.Tests.EndToEnd;

namespace Recipes.Tests.Support.Docker;

/// <summary>Removes an engine's folder, first unmounting what a killed engine left mounted inside it.</summary>
internal static class Folders
{
    public static void Remove(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        // Deepest first: overlay mounts of containers sit below the engine's own mounts.
        var mounts = File.ReadLines("/proc/mounts")
            .Select(line => line.Split(' ')[1].Replace("\\040", " "))
            .Where(point => point.StartsWith(folder + "/", StringComparison.Ordinal))
            .OrderByDescending(point => point.Length);
        foreach (var point in mounts)
        {
            ProcessRunner.Run("umount", ["-l", point], "/", TimeSpan.FromSeconds(10));
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is ending; the next run removes the folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
