using System.Diagnostics;
using System.Net.Sockets;
using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Pipeline.Tasks;
using Recipes.Tests.EndToEnd;
using Recipes.Tests.Support;
using Xunit.Abstractions;

namespace Recipes.Tests.Deployment.Local;

/// <summary>
/// What a service manager gives the releases and routers of the local target: a clean environment, a restart when
/// one dies (within limits), no restart once stopped, and one clear line when the router's port is taken.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SupervisionTests(TestAppFeedFixture feed, ITestOutputHelper output) : IClassFixture<TestAppFeedFixture>, IAsyncLifetime
{
    private static readonly TimeSpan RestartWithin = TimeSpan.FromSeconds(5);
    private readonly LocalDeploymentHarness _harness = new(feed);

    [Fact]
    public async Task A_release_and_its_router_get_only_the_allowlist_and_the_declared_config_and_secrets()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc/<pid>/environ is Linux's.
        }

        // Unique names: the test process's environment is shared with every test running beside this one.
        var leaked = "RECIPES_TEST_LEAK_" + Guid.NewGuid().ToString("N");
        var cloudKey = "AWS_SECRET_ACCESS_KEY_TEST_" + Guid.NewGuid().ToString("N");
        var secretSource = "SUPERVISION_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(leaked, "leaked-value");
        System.Environment.SetEnvironmentVariable(cloudKey, "awsfake");
        System.Environment.SetEnvironmentVariable(secretSource, "declared-secret");
        try
        {
            var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero), environment => environment with
            {
                Config = new Dictionary<string, string> { ["Shop:Currency"] = "EUR" },
                Secrets = new Dictionary<string, SecretReference> { ["RECIPES_TESTAPP_SECRET"] = new(secretSource) },
            });
            await _harness.DeployAsync(dev, "1.0.0");

            var slot = _harness.RunningSlot(dev);
            var release = ProcessFiles.Environment(Supervision.ProgramPid(slot.LogFile)!.Value);
            var router = ProcessFiles.Environment(_harness.Router(dev).RunningPid()!.Value);
            foreach (var (name, environment) in new[] { ("release", release), ("router", router), ("release's supervisor", ProcessFiles.Environment(slot.Pid)) })
            {
                environment.Keys.ShouldNotContain(leaked, name);
                environment.Keys.ShouldNotContain(cloudKey, name);
                environment.Values.ShouldNotContain("awsfake", name);
                environment.ShouldContainKey("PATH", name);
                environment.ShouldContainKey("HOME", name);
            }

            release["Shop__Currency"].ShouldBe("EUR");
            release["RECIPES_TESTAPP_SECRET"].ShouldBe("declared-secret");
            release["ASPNETCORE_ENVIRONMENT"].ShouldBe("Production");
            router.Keys.ShouldNotContain("RECIPES_TESTAPP_SECRET");
            router.Keys.ShouldNotContain("Shop__Currency");
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(leaked, null);
            System.Environment.SetEnvironmentVariable(cloudKey, null);
            System.Environment.SetEnvironmentVariable(secretSource, null);
        }
    }

    [Fact]
    public async Task A_release_and_then_the_router_killed_under_load_are_back_within_seconds_from_the_same_release_folder()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows releases are not supervised (see the README).
        }

        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await _harness.DeployAsync(dev, "1.0.0");
        var slot = _harness.RunningSlot(dev);
        var rows = _harness.Ledger.History("dev").Count;
        await using var load = LoadGenerator.Start(LocalDeploymentHarness.Load(dev));
        await Task.Delay(500);

        var appKilledAt = load.Elapsed;
        var app = await KillAndWatchAsync(dev, slot.LogFile, slot.Release.EntryAssembly);
        var restarted = Supervision.ProgramPid(slot.LogFile)!.Value;
        var routerKilledAt = load.Elapsed;
        var router = await KillAndWatchAsync(dev, _harness.Router(dev).LogFile, EnvironmentRouter.AssemblyFileName);
        await Task.Delay(500);
        var traffic = await load.StopAsync();

        var appFailures = traffic.Requests.Count(r => r.Failed && r.Started >= appKilledAt && r.Started < routerKilledAt);
        var routerFailures = traffic.Requests.Count(r => r.Failed && r.Started >= routerKilledAt);
        output.WriteLine($"release kill -9: restarted after {app.Restarted.TotalMilliseconds:0} ms, serving again after {app.Serving.TotalMilliseconds:0} ms, {appFailures} failed request(s)");
        output.WriteLine($"router kill -9: restarted after {router.Restarted.TotalMilliseconds:0} ms, serving again after {router.Serving.TotalMilliseconds:0} ms, {routerFailures} failed request(s)");
        output.WriteLine($"load: {traffic.Total} requests, {traffic.Failed} failed, {traffic.RequestsPerSecond:0} req/s; machine load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

        // The supervisor's part is asserted; how soon dotnet then serves depends on the machine's load, so it is printed.
        app.Restarted.ShouldBeLessThanOrEqualTo(RestartWithin);
        router.Restarted.ShouldBeLessThanOrEqualTo(RestartWithin);
        traffic.Requests.Where(r => r.Started >= routerKilledAt + router.Serving).ShouldAllBe(r => !r.Failed);
        // Restarted where it was: in its data folder, its release folder read-only for it still.
        ProcessFiles.WorkingDirectory(restarted).ShouldBe(Path.Combine(_harness.StateDirectory, "dev", "data"));
        (await DataFolderTests.WriteIntoReleaseAsync(dev)).ShouldNotStartWith("wrote");
        _harness.RunningSlot(dev).Release.Digest.ShouldBe(slot.Release.Digest);
        _harness.Ledger.History("dev").Count.ShouldBe(rows, "a restart is not a deployment");
        var status = string.Join("\n", Status.StatusLines(await _harness.Deployment().StatusAsync(dev, CancellationToken.None)));
        output.WriteLine(status);
        status.ShouldContain("router running, 1 restart, last exit code 137");
        status.ShouldContain($"running, 1 restart, last exit code 137 at {DateTime.UtcNow:yyyy-MM-dd}");
        status.ShouldContain($"pid {restarted}");
    }

    [Fact]
    public async Task A_release_that_dies_each_time_it_is_restarted_is_given_up_after_five_starts_in_a_minute()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await _harness.DeployAsync(dev, "1.0.0");
        var slot = _harness.RunningSlot(dev);

        var waited = Stopwatch.StartNew();
        var killed = new HashSet<int>();
        while (DetachedProcesses.IsAlive(slot.Pid) && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Supervision.ProgramPid(slot.LogFile) is { } pid && !killed.Contains(pid) && DetachedProcesses.IsRunning(pid, slot.Release.EntryAssembly))
            {
                Process.GetProcessById(pid).Kill();
                killed.Add(pid);
            }

            await Task.Delay(50);
        }

        killed.Count.ShouldBe(5, "the first start and four restarts");
        var status = await _harness.Deployment().StatusAsync(dev, CancellationToken.None);
        status.Slots.Single(s => s.Process.Slot == slot.Slot).State.ShouldBe(SlotState.Dead);
        var lines = string.Join("\n", Status.StatusLines(status));
        output.WriteLine(lines);
        lines.ShouldContain("gave up, 4 restarts, last exit code 137");
        File.ReadAllText(slot.LogFile).ShouldContain("--- recipes: gave up after 5 starts within 60 s");
    }

    [Fact]
    public async Task After_a_blue_green_switch_and_a_stop_nothing_of_the_releases_or_the_router_is_started_again()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Processes are found by their command lines in /proc.
        }

        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await _harness.DeployAsync(dev, "1.0.0");
        var first = _harness.RunningSlot(dev);
        await _harness.DeployAsync(dev, "2.0.0");
        var second = _harness.RunningSlot(dev);
        await Task.Delay(TimeSpan.FromSeconds(3));
        ProcessFiles.Mentioning(first.Release.Folder).ShouldBeEmpty("the old slot's supervisor ended with its release");

        (await _harness.Deployment().StopAsync(dev, CancellationToken.None)).Count.ShouldBe(2);
        await Task.Delay(TimeSpan.FromSeconds(3));

        ProcessFiles.Mentioning(second.Release.Folder).ShouldBeEmpty();
        ProcessFiles.Mentioning(_harness.Router(dev).StateDirectory).ShouldBeEmpty();
        var status = string.Join("\n", Status.StatusLines(await _harness.Deployment().StatusAsync(dev, CancellationToken.None)));
        status.ShouldContain("router stopped");
        status.ShouldNotContain("restarting");
    }

    [Fact]
    public async Task A_port_held_by_another_program_fails_the_deploy_with_one_line_naming_the_port()
    {
        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        var holder = new TcpListener(System.Net.IPAddress.Loopback, dev.Port);
        holder.Start();
        try
        {
            var failure = await Should.ThrowAsync<RecipeException>(() => _harness.DeployAsync(dev, "1.0.0"));

            output.WriteLine(failure.Message);
            failure.Message.ShouldContain($"port {dev.Port} on 127.0.0.1 is already in use");
            failure.Message.ShouldNotContain(" at ");
            failure.Message.ShouldNotContain('\n');
            if (OperatingSystem.IsLinux())
            {
                failure.Message.ShouldContain($"by pid {System.Environment.ProcessId} (");
            }
        }
        finally
        {
            holder.Stop();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>
    /// Kills the program that logs to <paramref name="logFile"/> with SIGKILL, then measures how long until its
    /// supervisor has started it again and until the environment's public port answers again.
    /// </summary>
    private static async Task<(TimeSpan Restarted, TimeSpan Serving)> KillAndWatchAsync(DeploymentEnvironment environment, string logFile, string entryAssembly)
    {
        var killed = Supervision.ProgramPid(logFile)!.Value;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        Process.GetProcessById(killed).Kill();
        TimeSpan? restarted = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (restarted is null && Supervision.ProgramPid(logFile) is { } pid && pid != killed && DetachedProcesses.IsRunning(pid, entryAssembly))
            {
                restarted = clock.Elapsed;
            }

            try
            {
                using var response = restarted is null ? null : await http.GetAsync($"http://127.0.0.1:{environment.Port}/version");
                if (response?.IsSuccessStatusCode == true)
                {
                    return (restarted!.Value, clock.Elapsed);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not back yet.
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{environment.Name} did not serve again within 60 s of killing pid {killed} (restarted: {restarted?.ToString() ?? "no"}); see {logFile}");
    }
}
