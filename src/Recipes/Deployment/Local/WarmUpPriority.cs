using System.Globalization;
using System.Runtime.InteropServices;

namespace Recipes.Deployment.Local;

/// <summary>
/// A release starts at a lower CPU priority (nice <see cref="Niceness"/> more than the build's) while it warms up, so
/// the release that serves keeps the cores, and gets the build's own priority back once healthy. On Linux the whole
/// process group of its supervisor is reniced (every thread of the supervisor and the app: nice is per thread there),
/// so threads the app makes later inherit whatever the group has. Only where the priority can be raised back: a
/// process without root (CAP_SYS_NICE) may lower a priority but never raise it, and a release left at a low priority
/// would serve all its life behind every other process; there it starts at the build's priority, as before.
/// Where the kernel groups processes by session for scheduling (autogroup, on by default in most distributions), the
/// CPU is shared between sessions first and nice counts only inside one: the release's supervisor leads a session of
/// its own (<c>setsid</c>), so its session's nice (<c>/proc/&lt;pid&gt;/autogroup</c>) is lowered and raised as well, or
/// the warming release would take half the cores from the serving one whatever its threads' nice.
/// </summary>
internal static class WarmUpPriority
{
    /// <summary>How much nicer than the build a warming release runs: a tenth of a normal process's CPU share when the cores are busy.</summary>
    public const int Niceness = 10;

    private const int ProcessGroup = 1;

    /// <summary>Whether releases start at a lower priority on this machine: Linux, and a build that may raise it back.</summary>
    public static bool Applies => OperatingSystem.IsLinux() && System.Environment.IsPrivilegedProcess;

    /// <summary>How long a just-started supervisor may take to call <c>setsid</c> and lead its own process group.</summary>
    private static readonly TimeSpan GroupWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Lowers the priority of the process group <paramref name="supervisorPid"/> leads (the supervisor started by
    /// <c>setsid</c>, and the app it runs); nothing when <see cref="Applies"/> is false or the supervisor leads no group.
    /// </summary>
    /// <returns>Whether it was lowered, so that it must be raised back with <see cref="Restore"/>.</returns>
    public static async Task<bool> LowerAsync(int supervisorPid, CancellationToken cancellationToken)
    {
        if (!Applies)
        {
            return false;
        }

        // The launcher prints the pid as soon as it has forked, which can be before that process has called setsid.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!LeadsItsGroup(supervisorPid))
        {
            if (clock.Elapsed > GroupWait || !DetachedProcesses.IsAlive(supervisorPid))
            {
                return false;
            }

            await Task.Delay(5, cancellationToken);
        }

        if (!SetGroupNiceness(supervisorPid, BuildNiceness() + Niceness))
        {
            return false;
        }

        SetSessionNiceness(supervisorPid, BuildSessionNiceness() + Niceness);
        return true;
    }

    /// <summary>Gives the group <paramref name="supervisorPid"/> leads (and its session) the build's own priority back.</summary>
    /// <returns>False when it could not (the group is gone, or the OS refused).</returns>
    public static bool Restore(int supervisorPid)
    {
        SetSessionNiceness(supervisorPid, BuildSessionNiceness());
        return SetGroupNiceness(supervisorPid, BuildNiceness());
    }

    /// <summary>
    /// The nice value of the scheduling group (autogroup) of <paramref name="pid"/>'s session; null without autogroup,
    /// for a process of init's session (the kernel shows no line for the root group, which runs at nice 0), or once it is gone.
    /// </summary>
    public static int? SessionNicenessOf(int pid)
    {
        try
        {
            // "/autogroup-123 nice 0"
            var text = File.ReadAllText($"/proc/{pid}/autogroup").Trim();
            return int.Parse(text[(text.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether the kernel schedules by session (autogroup) here: then a session's nice is what counts between sessions.</summary>
    public static bool SessionsScheduled()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/sched_autogroup_enabled").Trim() == "1";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int BuildSessionNiceness() => SessionNicenessOf(System.Environment.ProcessId) ?? 0;

    /// <summary>Sets the nice of the session <paramref name="pid"/> is in; nothing without autogroup (the threads' nice does the job there).</summary>
    private static void SetSessionNiceness(int pid, int niceness)
    {
        if (!SessionsScheduled())
        {
            return;
        }

        try
        {
            File.WriteAllText($"/proc/{pid}/autogroup", Math.Min(niceness, 19).ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone, or refused: the threads' nice still applies inside the session.
        }
    }

    /// <summary>The nice value of <paramref name="threadId"/> (a pid is its main thread's id), from /proc; null when it is gone.</summary>
    public static int? NicenessOf(int threadId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{threadId}/stat");
            // Fields after the command name: state is the first, nice the 17th (field 19 of proc(5)).
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool LeadsItsGroup(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2] == pid.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int BuildNiceness() => NicenessOf(System.Environment.ProcessId) ?? 0;

    private static bool SetGroupNiceness(int group, int niceness) => SetPriority(ProcessGroup, group, Math.Min(niceness, 19)) == 0;

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);
}
