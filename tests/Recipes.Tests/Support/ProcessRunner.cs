using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Recipes.Tests.Support;

/// <summary>The outcome of a finished process, with ANSI colour codes removed from its output.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}

/// <summary>Runs a real process with a time limit, capturing what it writes.</summary>
internal static partial class ProcessRunner
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Isolate(info, environment);

        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (error) { error.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}. Output so far:\n{output}\n{error}");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, Plain(output.ToString()), Plain(error.ToString()));
    }

    /// <summary>
    /// Gives a child build only the environment its test means: not the test host's MSBuild settings, not a
    /// <c>RECIPES_*</c> setting another test or the developer's shell set, not the variables of the CI server the
    /// suite itself may run on (a child build would report to it, or version as on it); then <paramref name="environment"/>.
    /// </summary>
    public static void Isolate(ProcessStartInfo info, IDictionary<string, string>? environment)
    {
        var inherited = info.Environment.Keys.Where(name =>
            name.StartsWith("RECIPES_", StringComparison.OrdinalIgnoreCase)
            || name is "MSBuildExtensionsPath" or "MSBuildSDKsPath" or "MSBUILD_EXE_PATH" or "DOTNET_HOST_PATH" or "CI_SERVER"
            || BuildServerVariables.Names.Contains(name)).ToList();
        foreach (var name in inherited)
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
    }

    private static string Plain(string text) => AnsiEscape().Replace(text, string.Empty);

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
