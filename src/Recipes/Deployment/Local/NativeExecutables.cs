namespace Recipes.Deployment.Local;

/// <summary>
/// The entry point of a Native AOT publish: an executable of the platform's own format (ELF, Mach-O, PE) that runs
/// without <c>dotnet</c>. Such a publish has no runtimeconfig and no app dll; it may hold native libraries (.so,
/// .dylib, .dll) and the symbols split off the executable (.dbg, .dSYM, .pdb), which are not entry points.
/// </summary>
internal static class NativeExecutables
{
    /// <summary>Endings of files that are never an app's entry point, native or not: libraries, symbols, settings.</summary>
    public static readonly IReadOnlyList<string> NotEntryPoints = [".so", ".dylib", ".dll", ".dbg", ".pdb", ".json", ".xml", ".config"];

    /// <summary>
    /// <c>&lt;id&gt;</c> (<c>&lt;id&gt;.exe</c> on Windows) when it is a native executable, else the only native
    /// executable at the top of <paramref name="folder"/>; null when there is none, or more than one to choose from.
    /// </summary>
    public static string? Find(string folder, string id) =>
        Choose(id, TopFileNames(folder), IsNativeImageIn(folder), OperatingSystem.IsWindows()) is { } name ? Path.Combine(folder, name) : null;

    /// <summary>The names of the files at the top of <paramref name="folder"/>: what <see cref="Choose"/> and <see cref="AppEntryPoint.Choose"/> choose among.</summary>
    public static IReadOnlyCollection<string> TopFileNames(string folder) => [.. Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>()];

    /// <summary>Whether a name's file in <paramref name="folder"/> starts with a native image's magic number.</summary>
    public static Func<string, bool> IsNativeImageIn(string folder) => name => IsNativeImage(Path.Combine(folder, name));

    /// <summary>
    /// The rule of <see cref="Find"/> over the names of the files at the top of an app folder, wherever it is (here, on
    /// a host, in a package): <paramref name="isNativeImage"/> says whether a name's file starts with a native image's
    /// magic number, and is asked only of names that may be an entry point.
    /// </summary>
    public static string? Choose(string id, IReadOnlyCollection<string> files, Func<string, bool> isNativeImage, bool windows)
    {
        var named = windows ? id + ".exe" : id;
        if (files.Contains(named, StringComparer.Ordinal) && isNativeImage(named))
        {
            return named;
        }

        var candidates = files.Where(MayBeEntryPoint).Where(isNativeImage).ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }

    /// <summary>Whether a file of this name may be an entry point: not hidden, not a library, symbols or settings.</summary>
    public static bool MayBeEntryPoint(string name) =>
        !name.StartsWith('.') && !NotEntryPoints.Any(extension => name.EndsWith(extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="entryPoint"/> runs by itself rather than under <c>dotnet</c> (it is not a dll).</summary>
    public static bool IsNative(string entryPoint) => !entryPoint.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>The program and arguments that start the app: <c>dotnet &lt;dll&gt;</c>, or the native executable itself.</summary>
    public static (string Program, IReadOnlyList<string> Arguments) Command(string entryPoint, IReadOnlyList<string> arguments) =>
        IsNative(entryPoint) ? (entryPoint, arguments) : (DotnetHost.Path(), [entryPoint, .. arguments]);

    /// <summary>Gives a native entry point its execute bits (owner, group, others may read it, so may run it); a dll is left as it is.</summary>
    public static void MarkExecutable(string entryPoint)
    {
        if (IsNative(entryPoint) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(entryPoint, File.GetUnixFileMode(entryPoint) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>Whether the file starts with the magic number of an ELF, Mach-O (64-bit, either byte order) or PE image.</summary>
    private static bool IsNativeImage(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) < magic.Length)
            {
                return false;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return false;
        }

        return IsNativeMagic(magic);
    }

    /// <summary>Whether a file's first four bytes are the magic number of an ELF, Mach-O (64-bit, either byte order) or PE image.</summary>
    public static bool IsNativeMagic(ReadOnlySpan<byte> magic) =>
        magic.Length >= 4 && (magic[..4].SequenceEqual("\u007fELF"u8)
            || magic[..4].SequenceEqual((ReadOnlySpan<byte>)[0xCF, 0xFA, 0xED, 0xFE])
            || magic[..4].SequenceEqual((ReadOnlySpan<byte>)[0xFE, 0xED, 0xFA, 0xCF])
            || magic[..2].SequenceEqual("MZ"u8));
}
