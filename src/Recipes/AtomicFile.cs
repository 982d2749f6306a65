namespace Recipes;

/// <summary>
/// Replaces a file in one step: the content goes to a hidden temporary file in the same folder, flushed to disk, which
/// is then renamed over the target. A reader (a reloading app, a later build, another job) sees the old file or the
/// new one, never half of one, and a crash leaves at most a stray temporary file, never a broken target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>, creating its folder when needed. A
    /// <paramref name="privateToUser"/> file is created 0600 in folders created 0700 (Unix), so it is never readable
    /// by others, not even for a moment.
    /// </summary>
    public static void Write(string path, Action<Stream> write, bool privateToUser = false)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (privateToUser)
        {
            PrivateFiles.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder);
        }

        // Unique, so that two writers never share a temporary file; hidden, so that folder listings skip it.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = privateToUser ? PrivateFiles.CreateNew() : new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            using (var stream = new FileStream(temporary, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark.</summary>
    public static void WriteAllText(string path, string text, bool privateToUser = false) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            writer.Write(text);
        }, privateToUser);
}
