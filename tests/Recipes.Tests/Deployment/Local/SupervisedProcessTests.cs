using System.Diagnostics;
using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>The Unix supervisor of detached processes, with <c>sleep</c> as the program.</summary>
[Trait("Category", "Slow")]
public sealed class SupervisedProcessTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-supervised");
    private readonly List<int> _started = [];

    private string Log => _temp.Combine("sleeper.log");

    [Fact]
    public void The_supervisor_and_its_program_get_the_allowlist_and_the_declared_variables_only()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc/<pid>/environ is Linux's.
        }

        var leaked = "RECIPES_TEST_LEAK_" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(leaked, "leaked-value");
        try
        {
            var supervisor = Start(new Dictionary<string, string> { ["DECLARED_SETTING"] = "declared" });
            var program = WaitFor(() => Supervision.ProgramPid(Log));

            foreach (var pid in new[] { supervisor, program })
            {
                var environment = ProcessFiles.Environment(pid);
                environment.Keys.ShouldNotContain(leaked);
                environment["DECLARED_SETTING"].ShouldBe("declared");
                environment["PATH"].ShouldBe(System.Environment.GetEnvironmentVariable("PATH"));
                environment.Keys.Where(name => name is not ("PATH" or "HOME" or "USER" or "LOGNAME" or "LANG" or "LANGUAGE" or "TZ" or "TMPDIR" or "PWD" or "DECLARED_SETTING") && !name.StartsWith("LC_", StringComparison.Ordinal))
                    .ShouldBeEmpty("only the allowlist, the declared variables and the shell's own PWD");
            }
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(leaked, null);
        }
    }

    [Fact]
    public void A_killed_program_is_restarted_once_armed_but_not_before_and_not_after_a_stop_request()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows processes are not supervised.
        }

        // Not armed: a program that dies ends its supervisor too, as a release that fails while starting must.
        var unarmed = Start();
        Process.GetProcessById(WaitFor(() => Supervision.ProgramPid(Log))).Kill();
        WaitFor(() => DetachedProcesses.IsAlive(unarmed) ? null : 0);
        File.ReadAllText(Log).ShouldContain("--- recipes: exited with code 137 at ");
        File.ReadAllText(Log).ShouldNotContain("--- recipes: restarted");

        var supervisor = Start();
        var first = WaitFor(() => Supervision.ProgramPid(Log));
        Supervision.Arm(Log);
        Process.GetProcessById(first).Kill();
        // Running as Status counts it: the restarted program's process is alive and has become the program (between
        // the supervisor's fork and its exec the new pid is still the shell, which Status rightly shows as restarting).
        var second = WaitFor(() => Supervision.ProgramPid(Log) is { } pid && pid != first && DetachedProcesses.IsRunning(pid, "sleep") ? pid : null);
        Supervision.Read(Log, supervisor, "sleep", stopped: false).ShouldBe(new SupervisionStatus("running", second, 1, Supervision.Read(Log, supervisor, "sleep", false).LastExit));
        Supervision.Read(Log, supervisor, "sleep", stopped: false).LastExit!.ShouldStartWith("code 137 at ");

        DetachedProcesses.RequestStop(supervisor);
        WaitFor(() => DetachedProcesses.IsAlive(supervisor) ? null : 0);
        Thread.Sleep(1500);
        DetachedProcesses.IsAlive(second).ShouldBeFalse();
        Supervision.ProgramPid(Log).ShouldBe(second, "nothing was started after the stop request");
        Supervision.Read(Log, supervisor, "sleep", stopped: true).State.ShouldBe("stopped");
    }

    [Fact]
    public void A_program_whose_supervisor_was_killed_is_shown_running_unsupervised_not_dead()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var supervisor = Start();
        var program = WaitFor(() => Supervision.ProgramPid(Log));
        _started.Add(program);

        Process.GetProcessById(supervisor).Kill();
        WaitFor(() => DetachedProcesses.IsAlive(supervisor) ? null : 0);

        Supervision.Read(Log, supervisor, "sleep", stopped: false).ShouldBe(new SupervisionStatus("running unsupervised", program, 0, null));
    }

    [Fact]
    public void Status_counts_the_supervisors_restarts_and_exits_not_lines_of_the_programs_output_that_look_like_them()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // An app's log can be gigabytes (a line per request); Status reads the supervisor's own events file instead.
        var supervisor = DetachedProcesses.Start("/bin/sh", ["-c", "echo '--- recipes: restarted at noon'; echo '--- recipes: exited with code 9 at noon'; exec sleep 30"], _temp.Path, Log, new Dictionary<string, string>());
        _started.Add(supervisor);
        var program = WaitFor(() => File.ReadAllText(Log).Contains("exited with code 9", StringComparison.Ordinal) ? Supervision.ProgramPid(Log) : null);
        _started.Add(program);

        Supervision.Read(Log, supervisor, "sleep", stopped: false).ShouldBe(new SupervisionStatus("running", program, 0, null));
    }

    public void Dispose()
    {
        foreach (var pid in _started)
        {
            DetachedProcesses.Kill(pid);
        }

        _temp.Dispose();
    }

    private int Start(IReadOnlyDictionary<string, string>? variables = null)
    {
        var pid = DetachedProcesses.Start("sleep", ["30"], _temp.Path, Log, variables ?? new Dictionary<string, string>());
        _started.Add(pid);
        return pid;
    }

    private int WaitFor(Func<int?> value)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (value() is { } found)
            {
                return found;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"the supervised process did not get there within 10 s; its log: {File.ReadAllText(Log)}");
    }
}
