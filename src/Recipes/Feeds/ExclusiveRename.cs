using System.Runtime.InteropServices;

namespace Recipes.Feeds;

/// <summary>
/// Gives a file a second name only if no file has that name yet, as one step of the file system, so that of two
/// processes racing to the same name exactly one wins. .NET's <c>File.Move(overwrite: false)</c> on Unix checks and
/// then renames, and rename(2) replaces silently: both racers can succeed, the later one replacing the earlier's file.
/// </summary>
internal static class ExclusiveRename
{
    private const int UnixAlreadyExists = 17; // EEXIST on Linux and macOS

    /// <summary>EPERM, ENOSYS, EOPNOTSUPP (Linux), ENOTSUP (macOS): a file system (some network shares) without hard links.</summary>
    private static readonly int[] UnixNoHardLinks = [1, 38, 95, 45];

    /// <summary>
    /// Moves <paramref name="source"/> to <paramref name="destination"/> in the same folder tree; false, with
    /// <paramref name="source"/> left in place, when <paramref name="destination"/> already exists.
    /// </summary>
    /// <exception cref="IOException">The file system refused for another reason.</exception>
    public static bool TryMove(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING fails atomically when the name exists.
            return TryManagedMove(source, destination);
        }

        // link(2) creates the new name or fails with EEXIST, atomically; the staged name is then just a second name.
        if (Link(source, destination) == 0)
        {
            File.Delete(source);
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error == UnixAlreadyExists)
        {
            return false;
        }

        // Without hard links the check-then-rename is the best this file system offers; racing publishers are rare there.
        return UnixNoHardLinks.Contains(error)
            ? TryManagedMove(source, destination)
            : throw new IOException($"cannot link {source} to {destination}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
    }

    private static bool TryManagedMove(string source, string destination)
    {
        try
        {
            File.Move(source, destination, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(destination))
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existingPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
