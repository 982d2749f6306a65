using System.Runtime.InteropServices;

namespace Recipes.Hosting.Internal;

/// <summary>
/// ./build.sh runs the build program in a process group of its own and ends that group when the program is killed.
/// When the script itself is killed (kill -9 of its pid, as a CI runner may do), nobody would: so the program watches
/// its parent and, once the script is gone, ends its own group at once (itself and its dotnet build/test children),
/// as a kill of the old exec'd script did. Deployments run in sessions of their own and stay.
/// </summary>
internal static class BootstrapWatch
{
    /// <summary>The script's pid, exported by build.sh to the build program.</summary>
    public const string Variable = "RECIPES_BOOTSTRAP_PID";

    private const int SigKill = 9;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static void Start(string? scriptPid)
    {
        if (OperatingSystem.IsWindows() || !int.TryParse(scriptPid, out var script) || script <= 1)
        {
            return;
        }

        // Only the program the script started, leading the group the script made for it: never a group shared with others.
        var self = Environment.ProcessId;
        if (GetParentPid() != script || GetProcessGroup() != self)
        {
            return;
        }

        var watcher = new Thread(() =>
        {
            while (GetParentPid() == script)
            {
                Thread.Sleep(PollInterval);
            }

            _ = SendSignal(-self, SigKill);
        })
        {
            IsBackground = true,
            Name = "Recipes bootstrap watch",
        };
        watcher.Start();
    }

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentPid();

    [DllImport("libc", EntryPoint = "getpgrp")]
    private static extern int GetProcessGroup();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
