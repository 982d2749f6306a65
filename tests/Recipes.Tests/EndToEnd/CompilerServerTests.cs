using System.Collections.Concurrent;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// Compile builds every project in one compiler server of its own, even where the environment sets
/// UseSharedCompilation=false (as CI images do), and stops it when the stage ends, passed or failed; with
/// compiler-server=false, or UseSharedCompilation among the team's MSBuild properties, no server runs. Servers are
/// told apart from other builds' (tests run at once) by the HOME that the sample repository gives its builds, which
/// the server inherits.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CompilerServerTests
{
    [Fact]
    public void Compile_builds_in_a_server_of_its_own_and_stops_it_whether_the_build_passes_or_fails()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var repo = new SampleRepository();
        repo.Environment["UseSharedCompilation"] = "false";

        var (passed, passedPipes) = BuildWatchingServers(repo, "--target=Compile", "--verbosity=diagnostic");

        passed.ExitCode.ShouldBe(0, passed.All);
        var pipe = passedPipes.ShouldHaveSingleItem();
        pipe.ShouldStartWith("recipes-");
        passed.All.ShouldContain($"Stopped the compiler server {pipe}");
        ServersOf(repo).ShouldBeEmpty();

        repo.Write("src/Acme.Greeter/Broken.cs", "namespace Acme.Greeter;\n\ninternal sealed class Broken {\n");
        var (failed, failedPipes) = BuildWatchingServers(repo, "--target=Compile", "--verbosity=diagnostic");

        failed.ExitCode.ShouldBe(1, failed.All);
        failed.All.ShouldContain("CS1513");
        var failedPipe = failedPipes.ShouldHaveSingleItem();
        failedPipe.ShouldNotBe(pipe, "each stage has a server of its own");
        failed.All.ShouldContain($"Stopped the compiler server {failedPipe}");
        ServersOf(repo).ShouldBeEmpty();

        File.Delete(Path.Combine(repo.Repository, "src", "Acme.Greeter", "Broken.cs"));
        var (alone, alonePipes) = BuildWatchingServers(repo, "--target=Compile", "--compiler-server=false", "--no-cache=true");

        alone.ExitCode.ShouldBe(0, alone.All);
        alonePipes.ShouldBeEmpty("compiler-server=false leaves every compile in a process of its own");

        var (property, propertyPipes) = BuildWatchingServers(repo, "--target=Compile", "-p:UseSharedCompilation=false", "--no-cache=true");

        property.ExitCode.ShouldBe(0, property.All);
        propertyPipes.ShouldBeEmpty("the team's own UseSharedCompilation decides over the setting");
    }

    /// <summary>Runs the build while looking, every 50 ms, for compiler servers of this repository's builds; returns their pipe names.</summary>
    private static (ProcessResult Result, List<string> Pipes) BuildWatchingServers(SampleRepository repo, params string[] args)
    {
        var pipes = new ConcurrentDictionary<string, byte>();
        using var stop = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var pipe in ServersOf(repo).Select(s => s.Pipe))
                {
                    pipes.TryAdd(pipe, 0);
                }

                await Task.Delay(50);
            }
        });
        var result = repo.Build(args);
        stop.Cancel();
        watch.GetAwaiter().GetResult();
        return (result, [.. pipes.Keys]);
    }

    /// <summary>The running VBCSCompiler processes whose HOME is the repository's builds' own, with their pipe names.</summary>
    private static List<(int Pid, string Pipe)> ServersOf(SampleRepository repo)
    {
        var found = new List<(int, string)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                if (!arguments.Any(a => a.Contains("VBCSCompiler", StringComparison.Ordinal))
                    || !File.ReadAllText(Path.Combine(folder, "environ")).Split('\0').Contains($"HOME={repo.Home}"))
                {
                    continue;
                }

                var pipe = arguments.FirstOrDefault(a => a.StartsWith("-pipename:", StringComparison.Ordinal))?["-pipename:".Length..] ?? "(default pipe)";
                found.Add((pid, pipe));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read.
            }
        }

        return found;
    }
}
