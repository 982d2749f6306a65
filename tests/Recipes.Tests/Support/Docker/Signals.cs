using System.Runtime.InteropServices;
namespace Recipes.Tests.Support.Docker;

/// <summary>Signals to servers a test run started, found by pid or by command line when an earlier run died.</summary>
internal static class Signals
{
    private const int SigTerm = 15;

    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);

    /// <summary>True while a process with <paramref name="pid"/> exists (signal 0 only checks).</summary>
    public static bool IsAlive(int pid) => Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1;

    public static void WaitGone(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
