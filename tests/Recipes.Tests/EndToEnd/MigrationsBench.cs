using System.Globalization;
using System.Text.RegularExpressions;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// The figures bench/migrations/run.sh prints, read from a real ./build.sh run's output: the task's time (the build's
/// summary), and the time its migrations and the N-1 compatibility check took (the deployer's own lines).
/// </summary>
internal static partial class MigrationsBench
{
    /// <summary>One line: <c>migrations-bench: LABEL: task 20.313 s, migrations 0.084 s, N-1 check 0.051 s (0.7 %)</c>.</summary>
    public static string Line(string label, ProcessResult build)
    {
        var task = TaskTime().Match(build.Output) is { Success: true } row ? TimeSpan.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture).TotalSeconds : double.NaN;
        var migrations = Seconds(ScriptsTime(), build.Output);
        var check = Seconds(CheckTime(), build.Output);
        return string.Create(CultureInfo.InvariantCulture,
            $"migrations-bench: {label}: task {task:0.000} s, migrations {migrations:0.000} s, N-1 check {check:0.000} s ({(migrations + check) / task:0.0 %})");
    }

    private static double Seconds(Regex pattern, string output) =>
        pattern.Match(output) is { Success: true } match ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^\s+(?:Deploy|Contract)\s+(\d\d:\d\d:\d\d\.\d+)\s+Succeeded", RegexOptions.Multiline)]
    private static partial Regex TaskTime();

    [GeneratedRegex(@"(?:Expand|Contract) scripts took ([\d.]+) s")]
    private static partial Regex ScriptsTime();

    [GeneratedRegex(@"on the expanded schema \(in ([\d.]+) s\)")]
    private static partial Regex CheckTime();
}
