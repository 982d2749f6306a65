using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Recipes.Deployment.Local;

/// <summary>Starts processes that outlive the build, and finds, signals and kills them later by process id.</summary>
internal static class DetachedProcesses
{
    private const int SigTerm = 15;

    /// <summary>
    /// On Unix, a shell starts the program in the background in its own session (<c>setsid</c>, or <c>nohup</c> where
    /// there is none) with its output appended to <paramref name="logFile"/>, prints its pid and exits; the program is
    /// then nobody's child in the build. Elsewhere it is started directly (Windows does not end children with their parent).
    /// </summary>
    public static int Start(string program, IReadOnlyList<string> arguments, string workingDirectory, string logFile, IReadOnlyDictionary<string, string> variables)
    {
        ProcessStartInfo start;
        if (OperatingSystem.IsWindows())
        {
            start = new ProcessStartInfo(program) { UseShellExecute = false, CreateNoWindow = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            const string Script = """
                log="$1"; shift
                if command -v setsid >/dev/null 2>&1; then setsid "$@" >>"$log" 2>&1 </dev/null &
                else nohup "$@" >>"$log" 2>&1 </dev/null &
                fi
                echo $!
                """;
            start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["-c", Script, "sh", logFile, program, .. arguments])
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var launcher = Process.Start(start) ?? throw new RecipeException($"could not start {program}; check that it is on the PATH");
        if (OperatingSystem.IsWindows())
        {
            return launcher.Id;
        }

        var output = launcher.StandardOutput.ReadToEnd();
        var error = launcher.StandardError.ReadToEnd();
        if (!launcher.WaitForExit(TimeSpan.FromSeconds(10)) || !int.TryParse(output.Trim(), out var pid))
        {
            throw new RecipeException($"/bin/sh did not start {program} in the background ({error.Trim()}); check that /bin/sh works");
        }

        return pid;
    }

    /// <summary>Whether <paramref name="pid"/> is alive and (where the OS shows it) is running <paramref name="entryAssembly"/>, so a reused pid is not mistaken for it.</summary>
    public static bool IsRunning(int pid, string entryAssembly)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }

        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        try
        {
            // A zombie (exited, not yet reaped) has state Z after the command name; its command line is empty.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X') && File.ReadAllText($"/proc/{pid}/cmdline").Contains(entryAssembly, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Asks the process to end (SIGTERM on Unix); on Windows, where there is no such request, it is killed.</summary>
    public static void RequestStop(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            Kill(pid);
            return;
        }

        _ = SendSignal(pid, SigTerm);
    }

    /// <summary>Ends the process at once.</summary>
    public static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
