using System.Text.RegularExpressions;

namespace Recipes.Building;

/// <summary>
/// Watches dotnet build's output for its first error, so a failed Compile says what failed (and, for the restore
/// failures teams meet most, what to set) instead of only "exit code 1".
/// </summary>
internal sealed partial class BuildOutputErrors
{
    private static readonly Dictionary<string, string> Fixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["NU1603"] = "no feed serves the version asked for, so NuGet took a newer one and warnings as errors refused it: reference a version the feed holds, or pass -p:WarningsNotAsErrors=NU1603 (or set msbuild-properties to WarningsNotAsErrors=NU1603)",
        ["NU1101"] = "no package source has that package: check its name and version, and that NuGet.config lists the feed that serves it",
        ["NU1301"] = "a package source could not be reached: check the network and the source's URL and credentials in NuGet.config, or remove the source if it is not needed",
    };

    private readonly object _gate = new();

    /// <summary>The code (NU1603, CS0103) and text of the first error seen, or null.</summary>
    public (string Code, string Message)? First { get; private set; }

    /// <summary>Takes one line of output; returns it unchanged.</summary>
    public string? Observe(string? line)
    {
        if (line is not null && ErrorLine().Match(line) is { Success: true } match)
        {
            lock (_gate)
            {
                First ??= (match.Groups["code"].Value, match.Groups["message"].Value.Trim());
            }
        }

        return line;
    }

    /// <summary>One line for the failure: the first error and, when it is well known, what to do about it.</summary>
    public string Describe(string whatFailed)
    {
        if (First is not { } error)
        {
            return $"{whatFailed}; the build printed no error line, see its output above.";
        }

        var fix = Fixes.TryGetValue(error.Code, out var known) ? $" Fix: {known}." : string.Empty;
        return $"{whatFailed}: first error {error.Code}: {error.Message}{fix}";
    }

    // "path/File.cs(3,5): error CS0103: text [project]" or "project : error NU1603: Warning As Error: text [solution]".
    [GeneratedRegex(@":\s*error\s+(?<code>[A-Za-z]+\d+)\s*:\s*(?<message>.*?)(?:\s+\[[^\]]*\])?\s*$")]
    private static partial Regex ErrorLine();
}
