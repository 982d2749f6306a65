using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

public sealed class DetachedProcessesTests
{
    [Fact]
    public void The_output_of_the_last_start_leaves_out_what_earlier_starts_wrote_to_the_same_log()
    {
        using var temp = new TempDirectory("recipes-detached-log");
        var log = temp.Combine("blue.log");
        File.WriteAllLines(log, [
            $"{DetachedProcesses.StartMarker} 2026-11-26T10:00:00Z", "Unhandled exception: address already in use", string.Empty,
            $"{DetachedProcesses.StartMarker} 2026-11-26T10:05:00Z", "  Now listening on: http://127.0.0.1:5000", string.Empty]);

        DetachedProcesses.OutputOfLastStart(log).ShouldBe(["Now listening on: http://127.0.0.1:5000"]);
        DetachedProcesses.OutputOfLastStart(temp.Combine("missing.log")).ShouldBeEmpty();
    }

    [Fact]
    public void A_start_writes_its_marker_before_the_programs_output()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // The log and its markers are written by the Unix launcher.
        }

        using var temp = new TempDirectory("recipes-detached-start");
        var log = temp.Combine("echo.log");
        File.WriteAllText(log, "an earlier run\n");

        var pid = DetachedProcesses.Start("/bin/echo", ["hello from the release"], temp.Path, log, new Dictionary<string, string>());
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (DetachedProcesses.OutputOfLastStart(log).Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
        }

        pid.ShouldBeGreaterThan(0);
        DetachedProcesses.OutputOfLastStart(log).ShouldBe(["hello from the release"]);
        File.ReadAllText(log).ShouldStartWith("an earlier run\n" + DetachedProcesses.StartMarker);
    }
}
