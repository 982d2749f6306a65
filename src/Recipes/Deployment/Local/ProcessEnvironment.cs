namespace Recipes.Deployment.Local;

/// <summary>
/// The environment a process that outlives the build starts with: like a service manager's, only a few variables of
/// the build's own environment (an allowlist) plus what the caller declares, so that the build's credentials (feed
/// keys, cloud keys, CI tokens) never reach a release or the router.
/// </summary>
internal static class ProcessEnvironment
{
    /// <summary>Variables taken from the build's environment on every OS: where programs are, who runs them, language and time.</summary>
    private static readonly string[] Inherited = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR"];

    /// <summary>What Windows programs (and the .NET runtime on Windows) cannot start without.</summary>
    private static readonly string[] InheritedOnWindows =
        ["PATHEXT", "SystemRoot", "SystemDrive", "windir", "ComSpec", "TEMP", "TMP", "USERPROFILE", "USERNAME", "APPDATA", "LOCALAPPDATA", "ProgramData", "ProgramFiles", "ProgramFiles(x86)", "CommonProgramFiles", "COMPUTERNAME"];

    /// <summary>
    /// The allowlisted variables of <paramref name="build"/> (PATH, HOME, USER, LOGNAME, LANG, LANGUAGE, LC_*, TZ,
    /// TMPDIR, and on Windows what its programs need) with <paramref name="declared"/> on top.
    /// </summary>
    public static Dictionary<string, string> For(IReadOnlyDictionary<string, string> build, IReadOnlyDictionary<string, string> declared)
    {
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var allowed = new HashSet<string>(OperatingSystem.IsWindows() ? [.. Inherited, .. InheritedOnWindows] : Inherited, comparer);
        var environment = new Dictionary<string, string>(comparer);
        foreach (var (name, value) in build)
        {
            if (allowed.Contains(name) || name.StartsWith("LC_", StringComparison.Ordinal))
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in declared)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>This process's environment variables.</summary>
    public static IReadOnlyDictionary<string, string> Current() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? string.Empty, StringComparer.Ordinal);
}
