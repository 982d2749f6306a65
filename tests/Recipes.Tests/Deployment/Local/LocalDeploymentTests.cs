using System.Reflection;
using Recipes.Artifacts;
using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Feeds;
using Recipes.Tests.EndToEnd;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

[Trait("Category", "Slow")]
public sealed class LocalDeploymentTests(TestAppFeedFixture feed) : IClassFixture<TestAppFeedFixture>, IAsyncLifetime
{
    private readonly TempDirectory _state = new("recipes-local-deployment");
    private readonly List<(TimeSpan At, string Line)> _log = [];
    private Func<TimeSpan> _clock = () => TimeSpan.Zero;
    private readonly List<DeploymentEnvironment> _environments = [];

    private DeploymentLedger Ledger => DeploymentLedger.Open(Path.Combine(_state.Path, "ledger.db"));

    private LocalDeployment Deployment(TimeSpan? lockWait = null) =>
        new(_state.Path, Ledger, lockWait ?? TimeSpan.FromSeconds(30), line => { lock (_log) { _log.Add((_clock(), line)); } });

    [Fact]
    public async Task Blue_green_switches_under_load_without_a_failed_request_and_then_serves_only_the_new_version()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.FromSeconds(1)));
        await DeployAsync(dev, "1.0.0");

        await using var load = LoadGenerator.Start(Load(dev));
        await Task.Delay(500);
        var result = await DeployAsync(dev, "2.0.0");
        var switched = load.Elapsed;
        await Task.Delay(1000);
        var traffic = await load.StopAsync();

        traffic.Failed.ShouldBe(0, Describe(traffic));
        traffic.VersionCounts.Keys.ShouldBe(["1.0.0", "2.0.0"], ignoreOrder: true);
        traffic.VersionsAnsweringAfter(switched).ShouldBe(["2.0.0"]);
        result.SwitchTime.ShouldNotBeNull();
        Ledger.History("dev").Select(r => (r.Version, r.Outcome)).ShouldBe([("2.0.0", DeploymentOutcome.Succeeded), ("1.0.0", DeploymentOutcome.Succeeded)]);
        // The old slot was stopped after the grace period; only the new release runs.
        new ProcessSupervisor(Path.Combine(_state.Path, "slots")).Status("dev").Where(s => s.State == SlotState.Running)
            .Select(s => s.Process.Release.Version).ShouldBe(["2.0.0"]);
    }

    [Fact]
    public async Task A_slow_start_moves_the_traffic_over_gradually_then_switches_without_a_failed_request()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero) { SlowStart = TimeSpan.FromSeconds(3) });
        await DeployAsync(dev, "1.0.0");

        await using var load = LoadGenerator.Start(Load(dev));
        _clock = () => load.Elapsed;
        await Task.Delay(500);
        await DeployAsync(dev, "2.0.0");
        await Task.Delay(500);
        var traffic = await load.StopAsync();

        traffic.Failed.ShouldBe(0, Describe(traffic));
        var ramping = _log.Single(entry => entry.Line.StartsWith("Slow start: 2.0.0 gets 14% of dev's traffic, rising to 86% over 3 s", StringComparison.Ordinal)).At;
        var switched = _log.Single(entry => entry.Line.StartsWith("switched dev from", StringComparison.Ordinal)).At;
        (switched - ramping).ShouldBeGreaterThan(TimeSpan.FromSeconds(2.5));
        traffic.Requests.Where(r => r.Ended < ramping).Select(r => r.Version).Distinct().ShouldBe(["1.0.0"]);
        traffic.VersionsAnsweringAfter(switched).ShouldBe(["2.0.0"]);
        // The new release's share grows: under half of the requests in the first half of the ramp, over half in the second.
        var middle = ramping + ((switched - ramping) / 2);
        double NewShare(TimeSpan from, TimeSpan to)
        {
            var answered = traffic.Requests.Where(r => r.Started >= from && r.Ended <= to).ToList();
            answered.Count.ShouldBeGreaterThan(20, $"requests between {from} and {to}");
            return answered.Count(r => r.Version == "2.0.0") / (double)answered.Count;
        }

        var (first, second) = (NewShare(ramping, middle), NewShare(middle, switched));
        first.ShouldBeInRange(0.05, 0.5);
        second.ShouldBeInRange(0.5, 0.95);
    }

    [Fact]
    public async Task A_release_that_dies_during_its_slow_start_fails_the_deployment_and_the_traffic_goes_back()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero) { SlowStart = TimeSpan.FromSeconds(5) });
        await DeployAsync(dev, "1.0.0");

        await using var load = LoadGenerator.Start(Load(dev));
        _clock = () => load.Elapsed;
        var deploy = DeployAsync(dev, "2.0.0");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Logged().Any(entry => entry.Line.StartsWith("Slow start:", StringComparison.Ordinal)))
        {
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), string.Join("\n", Logged().Select(entry => entry.Line)));
            await Task.Delay(20);
        }

        // The supervisor and the app with it, so nothing restarts the release.
        var supervisor = new ProcessSupervisor(Path.Combine(_state.Path, "slots")).Status("dev")
            .Single(s => s.State == SlotState.Running && s.Process.Release.Version == "2.0.0").Process.Pid;
        System.Diagnostics.Process.GetProcessById(supervisor).Kill(entireProcessTree: true);
        var failure = await Should.ThrowAsync<RolloutFailedException>(() => deploy);
        var failed = load.Elapsed;
        await Task.Delay(1000);
        var traffic = await load.StopAsync();

        failure.Message.ShouldStartWith("2.0.0 stopped running during its slow start at ");
        failure.Message.ShouldContain("all traffic back to 1.0.0 in slot ");
        traffic.VersionsAnsweringAfter(failed).ShouldBe(["1.0.0"]);
        traffic.Requests.Where(r => r.Started >= failed).ShouldAllBe(r => !r.Failed);
        (await GetVersionAsync(dev)).ShouldBe("1.0.0");
        RunningReleases(dev).ShouldHaveSingleItem().Version.ShouldBe("1.0.0");
        Ledger.History("dev")[0].Outcome.ShouldBe(DeploymentOutcome.Failed);
    }

    [Theory]
    [InlineData("slow start", "Slow start:")]
    [InlineData("canary", "Canary at 50%")]
    public async Task A_deployment_cancelled_while_the_traffic_is_split_puts_all_of_it_back_and_stops_the_new_release(string strategy, string split)
    {
        var dev = Environment("dev", strategy == "canary"
            ? new CanaryStrategy([50, 100], TimeSpan.FromSeconds(30), 0.05, 10)
            : new BlueGreenStrategy(TimeSpan.Zero) { SlowStart = TimeSpan.FromSeconds(6) });
        await DeployAsync(dev, "1.0.0");

        using var cancel = new CancellationTokenSource();
        var deploy = Deployment().DeployAsync(
            new DeploymentRequest(dev, feed.Feed, "2.0.0", feed.Packages["2.0.0"].Sha512, "abc", DeploymentKind.Deploy, "test"), cancel.Token);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Logged().Any(entry => entry.Line.StartsWith(split, StringComparison.Ordinal)))
        {
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), string.Join("\n", Logged().Select(entry => entry.Line)));
            await Task.Delay(20);
        }

        await Task.Delay(1500); // 2.0.0 has a share of the traffic now
        cancel.Cancel();
        (await Should.ThrowAsync<Exception>(() => deploy)).ShouldBeAssignableTo<OperationCanceledException>();

        for (var i = 0; i < 20; i++)
        {
            (await GetVersionAsync(dev)).ShouldBe("1.0.0");
        }

        RunningReleases(dev).ShouldHaveSingleItem().Version.ShouldBe("1.0.0");
        Ledger.History("dev")[0].Outcome.ShouldBe(DeploymentOutcome.Failed);
    }

    [Fact]
    public async Task A_canary_that_fails_requests_is_aborted_and_no_request_reaches_it_afterwards()
    {
        var dev = Environment("dev", new CanaryStrategy([20, 50, 100], TimeSpan.FromSeconds(2), 0.05, 10));
        await DeployAsync(dev, "1.0.0");

        await using var load = LoadGenerator.Start(Load(dev));
        var failure = await Should.ThrowAsync<RolloutFailedException>(() => DeployAsync(dev, "3.0.0"));
        var aborted = load.Elapsed;
        await Task.Delay(1000);
        var traffic = await load.StopAsync();

        failure.Message.ShouldContain("5xx rate above the limit");
        traffic.VersionCounts.ShouldContainKey("3.0.0");
        traffic.VersionsAnsweringAfter(aborted).ShouldBe(["1.0.0"]);
        var newest = Ledger.History("dev")[0];
        (newest.Version, newest.Outcome).ShouldBe(("3.0.0", DeploymentOutcome.Failed));
        newest.Details!.ShouldContain("canary at 20%");
        Ledger.Live("dev")!.Version.ShouldBe("1.0.0");
    }

    [Fact]
    public async Task A_tampered_package_is_refused_before_anything_starts()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        var package = feed.Packages["1.0.0"];

        var failure = await Should.ThrowAsync<ReleaseDigestMismatchException>(() => Deployment().DeployAsync(
            new DeploymentRequest(dev, feed.TamperedFeed("1.0.0"), "1.0.0", package.Sha512, "abc", DeploymentKind.Deploy, "test"), CancellationToken.None));

        failure.Message.ShouldContain("refusing to deploy");
        new ProcessSupervisor(Path.Combine(_state.Path, "slots")).Status("dev").ShouldBeEmpty();
        Directory.Exists(Path.Combine(_state.Path, "dev", "router")).ShouldBeFalse("the router starts only after the package is proven");
        Ledger.History("dev").Single().Outcome.ShouldBe(DeploymentOutcome.Failed);
    }

    [Fact]
    public async Task A_second_deployment_waits_for_the_lock_and_then_fails_naming_the_holder_while_the_environment_keeps_serving()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await DeployAsync(dev, "1.0.0");
        using var held = Ledger.AcquireLock("dev", "Deploy of Recipes.TestApp 2.0.0 by alice", TimeSpan.Zero);

        var failure = await Should.ThrowAsync<DeploymentLockedException>(() => DeployAsync(dev, "2.0.0", TimeSpan.FromMilliseconds(300)));

        failure.Message.ShouldContain("alice");
        (await GetVersionAsync(dev)).ShouldBe("1.0.0");
        Ledger.History("dev").Count.ShouldBe(1);
    }

    [Fact]
    public async Task Rollback_restarts_the_previous_release_and_marks_the_undone_one()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await DeployAsync(dev, "1.0.0");
        await DeployAsync(dev, "2.0.0");
        (await GetVersionAsync(dev)).ShouldBe("2.0.0");

        var result = await Deployment().RollbackAsync(dev, feed.Feed, "test", CancellationToken.None);

        result.Version.ShouldBe("1.0.0");
        (await GetVersionAsync(dev)).ShouldBe("1.0.0");
        Ledger.History("dev").Select(r => (r.Kind, r.Version, r.Outcome)).ShouldBe([
            (DeploymentKind.Rollback, "1.0.0", DeploymentOutcome.Succeeded),
            (DeploymentKind.Deploy, "2.0.0", DeploymentOutcome.RolledBack),
            (DeploymentKind.Deploy, "1.0.0", DeploymentOutcome.Succeeded)]);
    }

    [Fact]
    public async Task A_dark_launch_mirrors_requests_while_users_see_only_the_live_version_then_switches()
    {
        var dev = Environment("dev", new DarkLaunchStrategy(TimeSpan.FromSeconds(2), 100, 0.05));
        await DeployAsync(dev, "1.0.0");

        await using var load = LoadGenerator.Start(Load(dev));
        _clock = () => load.Elapsed;
        var result = await DeployAsync(dev, "2.0.0");
        var traffic = await load.StopAsync();

        result.Details.ShouldMatch(@"dark launch: [1-9]\d* request\(s\) mirrored to 2\.0\.0, 0 answered with another status");
        traffic.Failed.ShouldBe(0, Describe(traffic));
        (await GetVersionAsync(dev)).ShouldBe("2.0.0");
        // Until the mirroring was judged (the switch comes after), users got answers from 1.0.0 only.
        var judged = _log.First(entry => entry.Line.StartsWith("dark launch:", StringComparison.Ordinal)).At;
        var mirroring = _log.First(entry => entry.Line.StartsWith("Dark launch:", StringComparison.Ordinal)).At;
        var duringMirroring = traffic.Requests.Where(r => r.Started >= mirroring && r.Ended <= judged).ToList();
        duringMirroring.Count.ShouldBeGreaterThan(10);
        duringMirroring.Select(r => r.Version).Distinct().ShouldBe(["1.0.0"]);
    }

    [Fact]
    public async Task Promote_deploys_the_digest_that_is_live_in_the_source_environment()
    {
        var staging = Environment("staging", new BlueGreenStrategy(TimeSpan.Zero));
        var production = Environment("production", new BlueGreenStrategy(TimeSpan.Zero));
        await DeployAsync(staging, "2.0.0");
        var live = Ledger.Live("staging")!;

        await Deployment().DeployAsync(new DeploymentRequest(production, feed.Feed, live.Version, live.Digest, live.Commit, DeploymentKind.Promote, "test"), CancellationToken.None);

        var promoted = Ledger.Live("production")!;
        (promoted.Kind, promoted.Version, promoted.Digest).ShouldBe((DeploymentKind.Promote, "2.0.0", feed.Packages["2.0.0"].Sha512));
        (await GetVersionAsync(production)).ShouldBe("2.0.0");
    }

    [Fact]
    public async Task A_secret_reaches_the_release_from_the_build_environment_and_is_written_nowhere()
    {
        // A name of its own, not RECIPES_*: child builds of other tests inherit this process's environment.
        var variable = "LOCAL_DEPLOYMENT_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero)) with
            {
                Secrets = new Dictionary<string, SecretReference> { ["RECIPES_TESTAPP_SECRET"] = new(variable) },
            };
            _environments[^1] = dev;

            await DeployAsync(dev, "1.0.0");

            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            (await http.GetStringAsync($"http://127.0.0.1:{dev.Port}/secret")).ShouldBe("present");
            _log.ShouldNotContain(entry => entry.Line.Contains(secret, StringComparison.Ordinal));
            foreach (var file in Directory.EnumerateFiles(_state.Path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("releases", StringComparison.Ordinal)))
            {
                File.ReadAllText(file).ShouldNotContain(secret, customMessage: file);
            }
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Stop_ends_the_releases_and_the_router_and_a_later_deploy_starts_them_again()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await DeployAsync(dev, "1.0.0");
        var running = await Deployment().StatusAsync(dev, CancellationToken.None);
        running.RouterPid.ShouldNotBeNull();
        running.Slots.Where(s => s.State == SlotState.Running).ShouldHaveSingleItem();

        var stopped = await Deployment().StopAsync(dev, CancellationToken.None);

        stopped.Count.ShouldBe(2, string.Join("; ", stopped));
        var after = await Deployment().StatusAsync(dev, CancellationToken.None);
        after.RouterPid.ShouldBeNull();
        after.Slots.ShouldAllBe(s => s.State == SlotState.Stopped);
        await Should.ThrowAsync<HttpRequestException>(() => GetVersionAsync(dev));
        after.Live!.Version.ShouldBe("1.0.0", "the ledger keeps its history");

        await DeployAsync(dev, "2.0.0");
        (await GetVersionAsync(dev)).ShouldBe("2.0.0");
    }

    [Fact]
    public async Task A_router_that_died_with_its_supervisor_comes_back_with_its_saved_route_to_the_running_release()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await DeployAsync(dev, "1.0.0");
        var router = new EnvironmentRouter(_state.Path, dev.Name, dev.Port, _ => { });
        var pid = router.RunningPid().ShouldNotBeNull();
        // The supervisor (Unix) restarts a router that dies alone; this one goes with it, so only a deploy brings it back.
        var supervisor = int.Parse(File.ReadAllText(Path.Combine(router.StateDirectory, "supervisor.pid")), System.Globalization.CultureInfo.InvariantCulture);
        System.Diagnostics.Process.GetProcessById(supervisor).Kill(entireProcessTree: true);
        await Should.ThrowAsync<HttpRequestException>(() => GetVersionAsync(dev));

        using var client = await router.EnsureRunningAsync(CancellationToken.None);

        router.RunningPid().ShouldNotBe(pid);
        (await GetVersionAsync(dev)).ShouldBe("1.0.0");
    }

    [Fact]
    public async Task In_place_replaces_the_release_in_a_fresh_folder_and_an_unhealthy_one_gives_way_to_the_old_again()
    {
        var dev = Environment("dev", new InPlaceStrategy());
        await DeployAsync(dev, "1.0.0");
        var first = RunningReleases(dev).ShouldHaveSingleItem();

        await DeployAsync(dev, "2.0.0");

        (await GetVersionAsync(dev)).ShouldBe("2.0.0");
        var second = RunningReleases(dev).ShouldHaveSingleItem();
        second.Folder.ShouldNotBe(first.Folder);

        // 4.0.0 never becomes healthy: the deployment fails and 2.0.0 is started again in its slot.
        var impatient = dev with { Health = dev.Health with { Timeout = TimeSpan.FromSeconds(4) } };
        await Should.ThrowAsync<ReleaseUnhealthyException>(() => Deployment().DeployAsync(
            new DeploymentRequest(impatient, feed.Feed, "4.0.0", feed.Packages["4.0.0"].Sha512, "abc", DeploymentKind.Deploy, "test"), CancellationToken.None));

        (await GetVersionAsync(dev)).ShouldBe("2.0.0");
        RunningReleases(dev).ShouldHaveSingleItem().Version.ShouldBe("2.0.0");
        Ledger.History("dev")[0].Outcome.ShouldBe(DeploymentOutcome.Failed);
        var details = Ledger.History("dev")[0].Details!;
        details.ShouldContain("restarted 2.0.0", customMessage: details + "\n" + string.Join("\n", _log.Select(e => e.Line)));
    }

    /// <summary>The deployment's log so far; it is written from the deployment's own threads while a test reads it.</summary>
    private List<(TimeSpan At, string Line)> Logged()
    {
        lock (_log)
        {
            return [.. _log];
        }
    }

    private IReadOnlyList<Release> RunningReleases(DeploymentEnvironment environment) =>
        [.. new ProcessSupervisor(Path.Combine(_state.Path, "slots")).Status(environment.Name).Where(s => s.State == SlotState.Running).Select(s => s.Process.Release)];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var environment in _environments)
        {
            await Deployment().StopAsync(environment, CancellationToken.None);
        }

        _state.Dispose();
    }

    private DeploymentEnvironment Environment(string name, DeploymentStrategy strategy)
    {
        var environment = new DeploymentEnvironment(
            name, DeploymentEnvironment.LocalTarget, TestAppFeedFixture.Id, PublicPorts.Next(), strategy,
            HealthCheck.Default with { Timeout = TimeSpan.FromSeconds(30) }, [new SmokeCheck("/version", 200)], false,
            new Dictionary<string, FeatureToggle>(), new Dictionary<string, string>(), new Dictionary<string, SecretReference>(), 1);
        _environments.Add(environment);
        return environment;
    }

    private Task<DeploymentResult> DeployAsync(DeploymentEnvironment environment, string version, TimeSpan? lockWait = null) =>
        Deployment(lockWait).DeployAsync(
            new DeploymentRequest(environment, feed.Feed, version, feed.Packages[version].Sha512, "abc", DeploymentKind.Deploy, "test"), CancellationToken.None);

    private static LoadOptions Load(DeploymentEnvironment environment) => new()
    {
        Url = new Uri($"http://127.0.0.1:{environment.Port}/version"),
        MaxDuration = TimeSpan.FromSeconds(60),
        MaxRequests = 50_000,
    };

    private static async Task<string> GetVersionAsync(DeploymentEnvironment environment)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        return await http.GetStringAsync($"http://127.0.0.1:{environment.Port}/version");
    }

    private static string Describe(LoadResult traffic) =>
        string.Join("; ", traffic.Requests.Where(r => r.Failed).Take(5).Select(r => $"{r.Started.TotalMilliseconds:0} ms: {r.StatusCode} {r.Error}"));
}
