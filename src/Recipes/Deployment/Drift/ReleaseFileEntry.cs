using System.Globalization;
using System.Security.Cryptography;

namespace Recipes.Deployment.Drift;

/// <summary>One file of a release folder as deployed or as found now.</summary>
/// <param name="Path">Its path relative to the release folder, with '/' between folders.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">Its SHA-256, lowercase hex.</param>
/// <param name="Mode">Its permission bits (such as octal 0400), or null where the file system has none (Windows).</param>
internal sealed record ReleaseFileEntry(string Path, long Size, string Sha256, int? Mode)
{
    private const int PermissionBits = 0b111_111_111;

    /// <summary>The mode as <c>ls</c> and <c>chmod</c> write it: <c>0400</c>; <c>-</c> when there is none.</summary>
    public string ModeText => Mode is { } mode ? "0" + Convert.ToString(mode & PermissionBits, 8).PadLeft(3, '0') : "-";

    /// <summary>
    /// Every file under <paramref name="folder"/> (not following links into folders), as the local target lists a
    /// release folder: the same entries a host's <c>find</c> and <c>sha256sum</c> give (see <see cref="RemoteFileListing"/>).
    /// </summary>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file or folder may not be read.</exception>
    public static IReadOnlyList<ReleaseFileEntry> OfFolder(string folder)
    {
        var root = System.IO.Path.GetFullPath(folder);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None, IgnoreInaccessible = false };
        return [.. Directory.EnumerateFiles(root, "*", options)
            .Select(file => OfFile(file, System.IO.Path.GetRelativePath(root, file).Replace('\\', '/')))
            .OrderBy(entry => entry.Path, StringComparer.Ordinal)];
    }

    /// <summary>Parses an octal mode such as <c>400</c> or <c>0755</c>; null when it is not one.</summary>
    public static int? ParseMode(string text) =>
        text.Length is > 0 and <= 5 && text.All(c => c is >= '0' and <= '7')
            ? Convert.ToInt32(text, 8) & PermissionBits
            : null;

    private static ReleaseFileEntry OfFile(string file, string relative)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        int? mode = OperatingSystem.IsWindows() ? null : (int)File.GetUnixFileMode(file) & PermissionBits;
        return new ReleaseFileEntry(relative, stream.Length, sha256, mode);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Path} ({Size} bytes, {ModeText})");
}
