using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Recipes.Deployment.Local;

/// <summary>Starts processes that outlive the build, and finds, signals and kills them later by process id.</summary>
internal static class DetachedProcesses
{
    private const int SigTerm = 15;

    /// <summary>The first words of the line each start appends to the log before the program's own output.</summary>
    public const string StartMarker = "--- recipes: started";

    /// <summary>The non-empty lines the program wrote to <paramref name="logFile"/> since its last start, without its supervisor's.</summary>
    public static IReadOnlyList<string> OutputOfLastStart(string logFile) =>
        [.. LinesOfLastStart(logFile).Where(line => !line.StartsWith(Supervision.LinePrefix, StringComparison.Ordinal))];

    /// <summary>The non-empty lines of <paramref name="logFile"/> since the last start marker, trimmed.</summary>
    public static IReadOnlyList<string> LinesOfLastStart(string logFile)
    {
        if (!File.Exists(logFile))
        {
            return [];
        }

        var lines = File.ReadAllLines(logFile);
        var last = Array.FindLastIndex(lines, line => line.StartsWith(StartMarker, StringComparison.Ordinal));
        return [.. lines.Skip(last + 1).Select(line => line.Trim()).Where(line => line.Length > 0)];
    }

    /// <summary>
    /// On Unix, a shell starts <see cref="Supervision.Script"/> in the background in its own session (<c>setsid</c>, or
    /// <c>nohup</c> where there is none), which runs the program with its output appended to <paramref name="logFile"/>;
    /// the shell prints the supervisor's pid and exits, so neither is anybody's child in the build. Elsewhere the
    /// program is started directly and not restarted (Windows does not end children with their parent). Either way
    /// it gets <see cref="ProcessEnvironment"/>'s clean environment plus <paramref name="variables"/>, nothing else.
    /// </summary>
    /// <returns>The supervisor's pid on Unix, the program's elsewhere.</returns>
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
            // The start marker is in the log before the pid is printed, so that the caller never reads an earlier
            // start's output as this one's. The supervisor's own messages (and the shell's, such as "Killed") go there too.
            const string Launcher = """
                supervise="$1"; log="$2"; marker="$3"; shift 3
                umask 077
                printf '%s %s\n' "$marker" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$log"
                if command -v setsid >/dev/null 2>&1; then setsid /bin/sh -c "$supervise" sh "$log" "$@" >>"$log" 2>&1 </dev/null &
                else nohup /bin/sh -c "$supervise" sh "$log" "$@" >>"$log" 2>&1 </dev/null &
                fi
                echo $!
                """;
            File.Delete(Supervision.PidFile(logFile));
            File.Delete(Supervision.ArmedFile(logFile));
            File.Delete(Supervision.EventsFile(logFile));
            start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            string[] launch = ["-c", Launcher, "sh", Supervision.Script, logFile, StartMarker, Supervision.PidFile(logFile), Supervision.ArmedFile(logFile), string.Empty, program, .. arguments];
            foreach (var argument in launch)
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.WorkingDirectory = workingDirectory;
        start.Environment.Clear();
        foreach (var (name, value) in ProcessEnvironment.For(ProcessEnvironment.Current(), variables))
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
        if (!IsAlive(pid))
        {
            return false;
        }

        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        try
        {
            // A process that is exec'ing (the launcher becoming setsid, then the supervisor's shell) shows an empty
            // command line for a moment; only a kernel thread shows one for good. Read again before calling it another
            // process, or a slot started a moment ago would look free (and a second release start in it).
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            for (var attempt = 0; commandLine.Length == 0 && attempt < ExecReads; attempt++)
            {
                Thread.Sleep(5);
                commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            }

            return commandLine.Contains(entryAssembly, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>How many times <see cref="IsRunning"/> reads an empty command line again (5 ms apart) before taking it for good.</summary>
    private const int ExecReads = 40;

    /// <summary>
    /// Whether <paramref name="pid"/> is alive (not a zombie), whatever it runs. For a process this build has just
    /// started: while the launcher execs, its command line can read empty for a moment, so <see cref="IsRunning"/>
    /// could take a starting process for a dead one.
    /// </summary>
    public static bool IsAlive(int pid)
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
            // A zombie (exited, not yet reaped) has state Z after the command name.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
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
