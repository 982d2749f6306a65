namespace Recipes.Deployment.Local;

/// <summary>
/// Which file of a deployable package's <c>app/</c> folder starts the app, by one rule wherever the files are (a
/// release folder unpacked here, one on a host over SSH, the package itself): <c>&lt;id&gt;.dll</c> beside
/// <c>&lt;id&gt;.runtimeconfig.json</c>, else the dll of the only runtimeconfig; in a Native AOT publish, which has no
/// runtimeconfig, the native executable (see <see cref="NativeExecutables.Choose"/>).
/// </summary>
internal static class AppEntryPoint
{
    private const string RuntimeConfig = ".runtimeconfig.json";

    /// <summary>The entry point's name among <paramref name="files"/> (the names at the top of the app folder), or null.</summary>
    /// <param name="id">The package id, the app's name.</param>
    /// <param name="files">The names of the files at the top of the app folder.</param>
    /// <param name="isNativeImage">Whether a name's file starts with a native image's magic number (asked of few names).</param>
    /// <param name="windows">Whether the app runs on Windows, where a native executable ends with .exe.</param>
    public static string? Choose(string id, IReadOnlyCollection<string> files, Func<string, bool> isNativeImage, bool windows)
    {
        if (files.Contains(id + ".dll", StringComparer.Ordinal) && files.Contains(id + RuntimeConfig, StringComparer.Ordinal))
        {
            return id + ".dll";
        }

        var configs = RuntimeConfigs(files);
        if (configs.Count == 1 && files.Contains(configs[0][..^RuntimeConfig.Length] + ".dll", StringComparer.Ordinal))
        {
            return configs[0][..^RuntimeConfig.Length] + ".dll";
        }

        return configs.Count == 0 ? NativeExecutables.Choose(id, files, isNativeImage, windows) : null;
    }

    /// <summary>What a folder without an entry point lacks, after "&lt;id&gt; &lt;version&gt; has ": names the runtimeconfigs found and what to do.</summary>
    public static string NoneFound(string id, IReadOnlyCollection<string> files)
    {
        var configs = RuntimeConfigs(files);
        var found = configs.Count == 0 ? "none" : string.Join(", ", configs);
        return $"no {id}.dll with {id}{RuntimeConfig}, not exactly one *{RuntimeConfig} (found {found}) and no native executable {id}; "
            + "publish the app framework-dependent or Native AOT under its package id";
    }

    private static List<string> RuntimeConfigs(IReadOnlyCollection<string> files) =>
        [.. files.Where(name => name.EndsWith(RuntimeConfig, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
