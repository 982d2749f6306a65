using System.Diagnostics;
using System.Text;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// (Linux: processes are found through /proc.) The build program killed with kill -9 while FastTests runs: build.sh ends what it started (dotnet test, the test
/// platform and the test host), which nothing else would stop.
/// </summary>
[Trait("Category", "Slow")]
public sealed class KilledBuildTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan EndLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public void Killing_the_build_program_ends_the_dotnet_test_it_started()
    {
        using var repo = new SampleRepository();
        repo.Write(Path.Combine("tests", "Acme.Greeter.Tests", "SleepingTests.cs"), """
            using Xunit;

            namespace Acme.Greeter.Tests;

            public sealed class SleepingTests
            {
                [Fact]
                public void Sleeps() => System.Threading.Thread.Sleep(System.TimeSpan.FromMinutes(10));
            }
            """);
        repo.Commit("A test that sleeps");
        var output = new StringBuilder();
        using var build = repo.Start(output, "--target=FastTests");
        try
        {
            Until(() => TestProcesses(repo.Root).Any(p => p.CommandLine.Contains("testhost", StringComparison.Ordinal)), StartLimit,
                () => $"no test host of {repo.Root} started:\n{Read(output)}");
            var program = RunningProcess.All().Single(p => p.CommandLine.Contains(repo.ProgramCommand()[^1], StringComparison.Ordinal) && p.WorkingDirectory == repo.Repository);

            Process.GetProcessById(program.Id).Kill(); // SIGKILL, as kill -9

            Until(() => !TestProcesses(repo.Root).Any(), EndLimit,
                () => $"still running {EndLimit} after the build program was killed:\n{string.Join('\n', TestProcesses(repo.Root))}\n{Read(output)}");
            build.WaitForExit(EndLimit).ShouldBeTrue("build.sh ends with its program");
            build.ExitCode.ShouldBe(137, "build.sh reports the program's death by SIGKILL");
        }
        finally
        {
            foreach (var left in TestProcesses(repo.Root))
            {
                left.Kill();
            }

            build.Kill(entireProcessTree: true);
        }
    }

    /// <summary>dotnet test, vstest.console and the test host of the repository under <paramref name="root"/>.</summary>
    private static List<RunningProcess> TestProcesses(string root) =>
        [.. RunningProcess.All().Where(p => p.CommandLine.Contains(root, StringComparison.Ordinal)
            && (p.CommandLine.Contains("testhost", StringComparison.Ordinal) || p.CommandLine.Contains("vstest", StringComparison.Ordinal) || p.CommandLine.Contains(" test ", StringComparison.Ordinal)))];

    private static void Until(Func<bool> condition, TimeSpan limit, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail(failure());
            }

            Thread.Sleep(200);
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>A process as /proc shows it: its id, command line (arguments joined by spaces) and working directory.</summary>
    private sealed record RunningProcess(int Id, string CommandLine, string? WorkingDirectory)
    {
        public static IEnumerable<RunningProcess> All()
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), out var id))
                {
                    continue;
                }

                RunningProcess? process = null;
                try
                {
                    var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                    process = new RunningProcess(id, commandLine, new DirectoryInfo(Path.Combine(directory, "cwd")).LinkTarget);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // The process ended while it was read.
                }

                if (process is not null)
                {
                    yield return process;
                }
            }
        }

        public void Kill()
        {
            try
            {
                Process.GetProcessById(Id).Kill();
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        public override string ToString() => $"{Id}: {CommandLine}";
    }
}
