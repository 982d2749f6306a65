using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Recipes.Versioning;

/// <summary>What a finished tool wrote and how it exited.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs git and GitVersion without a shell, so folder names with spaces or quotes need no escaping, and with a time
/// limit, so a hung tool cannot hang the build.
/// </summary>
internal static class ToolProcess
{
    /// <param name="fileName">The program, found on PATH when not a full path.</param>
    /// <param name="arguments">Passed one by one, unquoted.</param>
    /// <param name="workingDirectory">Where the tool runs.</param>
    /// <param name="timeout">How long to wait before killing the tool and its children.</param>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <exception cref="TimeoutException">The tool did not finish in time (it has been killed).</exception>
    /// <exception cref="Win32Exception">The program could not be started, usually because it is not installed.</exception>
    public static ToolResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new Win32Exception($"{fileName} did not start.");

        // Nothing is ever typed into these tools; a closed input makes any prompt fail at once instead of waiting.
        process.StandardInput.Close();
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout.TotalSeconds:0} s.");
        }

        // The parameterless wait also waits for the redirected streams to be read to their end.
        process.WaitForExit();
        return new ToolResult(process.ExitCode, Read(output), Read(error));
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
