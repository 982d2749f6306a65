using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using Recipes.Versioning;

namespace Recipes.Testing;

/// <summary>
/// Test projects run with <c>DOTNET_ROLL_FORWARD=Major</c>, so a project whose target framework's runtime is missing
/// runs on a newer one rather than failing; this works out which runtime that is, so the log can say so.
/// </summary>
internal static partial class RuntimeRollForward
{
    /// <summary>The variable and value every test run gets.</summary>
    public const string Variable = "DOTNET_ROLL_FORWARD";

    /// <inheritdoc cref="Variable"/>
    public const string Value = "Major";

    private static readonly Lazy<IReadOnlyList<Version>> Installed = new(ListInstalledRuntimes);

    /// <summary>The Microsoft.NETCore.App runtimes of the dotnet on PATH; none when it cannot be asked.</summary>
    public static IReadOnlyList<Version> InstalledRuntimes => Installed.Value;

    /// <summary>
    /// One line saying which runtime ran the target frameworks of <paramref name="project"/> that had none of their
    /// own here, or null when each ran on its own major version (or on none: dotnet test then says why).
    /// </summary>
    public static string? Notice(string project, IEnumerable<string> targetFrameworks, IReadOnlyList<Version> installed)
    {
        var rolled = targetFrameworks
            .Select(tfm => (Tfm: tfm, Wanted: RuntimeVersionOf(tfm)))
            .Where(t => t.Wanted is not null)
            .Select(t => (t.Tfm, Ran: RuntimeFor(t.Wanted!, installed), t.Wanted))
            .Where(t => t.Ran is not null && t.Ran.Major != t.Wanted!.Major)
            .GroupBy(t => t.Ran!)
            .Select(g => $"{project} ({Join(g.Select(t => t.Tfm))}) ran on .NET {g.Key}: no {Join(g.Select(t => t.Tfm))} runtime here; {Variable}={Value}")
            .ToList();
        return rolled.Count == 0 ? null : string.Join("; ", rolled);
    }

    /// <summary>
    /// The runtime roll-forward Major picks for <paramref name="wanted"/>: the lowest minor at or above it in its own
    /// major, else the lowest higher major's lowest minor; the latest patch of that minor. Null when none fits.
    /// </summary>
    public static Version? RuntimeFor(Version wanted, IReadOnlyList<Version> installed)
    {
        var candidates = installed.Where(v => v.Major == wanted.Major && v.Minor >= wanted.Minor).ToList();
        if (candidates.Count == 0)
        {
            candidates = installed.Where(v => v.Major > wanted.Major).ToList();
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var chosen = candidates.Min()!;
        return candidates.Where(v => v.Major == chosen.Major && v.Minor == chosen.Minor).Max();
    }

    /// <summary>The runtime a target framework asks for (<c>net8.0</c>, <c>net8.0-windows</c>, <c>netcoreapp3.1</c>); null for .NET Framework and .NET Standard.</summary>
    public static Version? RuntimeVersionOf(string targetFramework)
    {
        var match = TargetFrameworkPattern().Match(targetFramework.Trim());
        return match.Success
            ? new Version(int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>Reads <c>dotnet --list-runtimes</c> lines such as <c>Microsoft.NETCore.App 10.0.1 [/usr/share/dotnet/shared/...]</c>.</summary>
    public static IReadOnlyList<Version> ParseRuntimeList(string output) =>
        output.Split('\n')
            .Select(line => RuntimeLinePattern().Match(line.Trim()))
            .Where(m => m.Success && Version.TryParse(m.Groups["version"].Value, out _))
            .Select(m => Version.Parse(m.Groups["version"].Value))
            .ToList();

    private static IReadOnlyList<Version> ListInstalledRuntimes()
    {
        try
        {
            var result = ToolProcess.Run("dotnet", ["--list-runtimes"], Environment.CurrentDirectory, TimeSpan.FromSeconds(30), new Dictionary<string, string?>());
            return result.ExitCode == 0 ? ParseRuntimeList(result.Output) : [];
        }
        catch (Exception exception) when (exception is Win32Exception or TimeoutException)
        {
            return [];
        }
    }

    private static string Join(IEnumerable<string> items) => string.Join(", ", items);

    [GeneratedRegex(@"^net(?:coreapp)?(?<major>\d+)\.(?<minor>\d+)(?:-.+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex TargetFrameworkPattern();

    // Pre-release runtimes (10.0.0-rc.1) roll forward only when asked to, so only release versions count.
    [GeneratedRegex(@"^Microsoft\.NETCore\.App (?<version>\d+\.\d+\.\d+) ")]
    private static partial Regex RuntimeLinePattern();
}
