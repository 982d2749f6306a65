using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>The routers' own read-only copies in the state folder, which a rebuild of the build program never touches.</summary>
public sealed class RouterCopiesTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-router-copies");

    public void Dispose()
    {
        foreach (var copy in Directory.Exists(Routers) ? Directory.GetDirectories(Routers) : [])
        {
            ReleaseFolders.Delete(copy);
        }

        _temp.Dispose();
    }

    private string State => _temp.Combine("state");

    private string Routers => Path.Combine(State, RouterCopies.FolderName);

    private string BuiltRouter(string version)
    {
        var folder = Directory.CreateDirectory(_temp.Combine("build", "router")).FullName;
        File.WriteAllText(Path.Combine(folder, EnvironmentRouter.AssemblyFileName), "router " + version);
        File.WriteAllText(Path.Combine(folder, "Yarp.ReverseProxy.dll"), "dependency");
        return Path.Combine(folder, EnvironmentRouter.AssemblyFileName);
    }

    [Fact]
    public void The_router_runs_from_a_read_only_copy_in_the_state_folder_that_outlives_the_build_output()
    {
        var built = BuiltRouter("1");

        var copy = RouterCopies.Ensure(State, built);

        Path.GetDirectoryName(Path.GetDirectoryName(copy)).ShouldBe(Routers);
        File.Exists(Path.Combine(Path.GetDirectoryName(copy)!, "Yarp.ReverseProxy.dll")).ShouldBeTrue("its dependencies come along");
        Directory.Delete(Path.GetDirectoryName(built)!, recursive: true);
        File.ReadAllText(copy).ShouldBe("router 1", "deleting the build output leaves the copy");
        if (!OperatingSystem.IsWindows())
        {
            (File.GetUnixFileMode(copy) & UnixFileMode.UserWrite).ShouldBe((UnixFileMode)0);
            (File.GetUnixFileMode(Path.GetDirectoryName(copy)!) & UnixFileMode.UserWrite).ShouldBe((UnixFileMode)0);
        }
    }

    [Fact]
    public void The_same_router_is_copied_once_and_a_newer_one_gets_a_folder_beside_it()
    {
        var first = RouterCopies.Ensure(State, BuiltRouter("1"));
        var again = RouterCopies.Ensure(State, BuiltRouter("1"));
        var newer = RouterCopies.Ensure(State, BuiltRouter("2"));

        again.ShouldBe(first);
        newer.ShouldNotBe(first);
        File.ReadAllText(first).ShouldBe("router 1", "the running router's copy stays as it was");
        File.ReadAllText(newer).ShouldBe("router 2");
        Directory.GetDirectories(Routers).Length.ShouldBe(2, "no staging folder is left behind");
    }

    [Fact]
    public async Task Deploys_copying_the_router_at_once_all_get_the_same_whole_copy()
    {
        var built = BuiltRouter("1");

        var copies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => RouterCopies.Ensure(State, built))));

        copies.Distinct().ShouldHaveSingleItem();
        Directory.GetDirectories(Routers).ShouldHaveSingleItem();
        Directory.GetFiles(Path.GetDirectoryName(copies[0])!).Length.ShouldBe(2);
    }

    [Fact]
    public void Copies_no_process_runs_from_are_pruned_and_the_one_a_router_runs_from_stays()
    {
        if (!Directory.Exists("/proc/self"))
        {
            return; // Pruning reads /proc; elsewhere every copy stays (tested by the copy tests above).
        }

        var old = RouterCopies.Ensure(State, BuiltRouter("1"));
        var running = RouterCopies.Ensure(State, BuiltRouter("2"));
        var current = RouterCopies.Ensure(State, BuiltRouter("3"));
        // A process whose command line names a file of the copy, as a router's does.
        using var router = System.Diagnostics.Process.Start("tail", ["-f", running])!;
        try
        {
            var deleted = RouterCopies.Prune(State, current, minimumAge: TimeSpan.Zero);

            deleted.ShouldBe([Path.GetDirectoryName(old)!]);
            File.Exists(old).ShouldBeFalse();
            File.Exists(running).ShouldBeTrue("a router of another environment still runs from it");
            File.Exists(current).ShouldBeTrue("the router about to start runs from it");
            RouterCopies.Prune(State, current, minimumAge: TimeSpan.FromHours(1)).ShouldBeEmpty("a copy just made may be about to run");
        }
        finally
        {
            router.Kill();
            router.WaitForExit();
        }
    }
}
