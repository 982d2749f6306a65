namespace Recipes;

/// <summary>
/// Folders and files only their owner can read: the deployment state (ledger, features, slot records, router files,
/// logs) is the user's alone, like the router's admin token. Unix only; on Windows the profile's ACLs apply.
/// </summary>
internal static class PrivateFiles
{
    /// <summary>rwx for the owner, nothing for group and others.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner, nothing for group and others.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Every permission bit of group and others.</summary>
    public const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="folder"/> (and its missing parents) open to its owner only; an existing one is left as it is.</summary>
    public static void CreateDirectory(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        // One level at a time: Directory.CreateDirectory(path, mode) gives the mode to the last folder only.
        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(folder); !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing.Push(current);
        }

        while (missing.TryPop(out var next))
        {
            Directory.CreateDirectory(next, FolderMode);
        }
    }

    /// <summary>Creates <paramref name="folder"/> when missing and takes group and other permissions off it (a folder an older version made 0755).</summary>
    public static void CreateOrRestrictDirectory(string folder)
    {
        CreateDirectory(folder);
        Restrict(folder);
    }

    /// <summary>Takes every group and other permission off <paramref name="path"/>, a file or folder, when it exists.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !Path.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOther) != 0)
        {
            File.SetUnixFileMode(path, mode & ~GroupAndOther);
        }
    }

    /// <summary>Options that create a new file readable and writable by its owner only.</summary>
    public static FileStreamOptions CreateNew(FileAccess access = FileAccess.Write)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }
}
