namespace Recipes.Deployment.Local;

/// <summary>Makes release folders read-only once written, and writable again only to delete them.</summary>
internal static class ReleaseFolders
{
    // The user's alone, like the rest of the deployment state: no group or other bit.
    private const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead;
    private const UnixFileMode ExecuteBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode ReadOnlyDirectory = ReadOnlyFile | UnixFileMode.UserExecute;

    /// <summary>Takes write permission off every file and folder under <paramref name="folder"/>, and off the folder itself.</summary>
    public static void MakeReadOnly(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (OperatingSystem.IsWindows())
            {
                File.SetAttributes(file, File.GetAttributes(file) | FileAttributes.ReadOnly);
            }
            else
            {
                // Executables (an apphost, a script) keep their execute bits; nothing keeps a write bit.
                var executable = (File.GetUnixFileMode(file) & ExecuteBits) != 0;
                File.SetUnixFileMode(file, executable ? ReadOnlyDirectory : ReadOnlyFile);
            }
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Deepest first, so that no folder is locked before everything inside it is.
        foreach (var directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
        {
            File.SetUnixFileMode(directory, ReadOnlyDirectory);
        }

        File.SetUnixFileMode(folder, ReadOnlyDirectory);
    }

    /// <summary>Deletes a folder that <see cref="MakeReadOnly"/> locked: gives write permission back, then removes it all.</summary>
    public static void Delete(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, ReadOnlyDirectory | UnixFileMode.UserWrite);
            foreach (var directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(directory, ReadOnlyDirectory | UnixFileMode.UserWrite);
            }
        }
        else
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, File.GetAttributes(file) & ~FileAttributes.ReadOnly);
            }
        }

        Directory.Delete(folder, recursive: true);
    }
}
