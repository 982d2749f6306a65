using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>Releases of Recipes.TestApp started as detached processes; every one is stopped in Dispose.</summary>
[Trait("Category", "Slow")]
public sealed class ProcessSupervisorTests : IClassFixture<TestAppFeedFixture>, IAsyncLifetime
{
    private const string Environment = "staging";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TestAppFeedFixture _fixture;
    private readonly TempDirectory _temp = new("recipes-processes");
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(90));
    private readonly ReleaseStore _store;
    private readonly ProcessSupervisor _supervisor;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private Release _release = null!;

    public ProcessSupervisorTests(TestAppFeedFixture fixture)
    {
        _fixture = fixture;
        _store = new ReleaseStore(_temp.Combine("releases", Environment));
        _supervisor = new ProcessSupervisor(_temp.Combine("state"));
    }

    private CancellationToken Token => _timeout.Token;

    public async Task InitializeAsync() =>
        _release = await _store.PrepareAsync(_fixture.Feed, TestAppFeedFixture.Id, TestAppFeedFixture.Version, _fixture.Package.Sha512, Token);

    public async Task DisposeAsync()
    {
        foreach (var slot in _supervisor.Status(Environment))
        {
            await _supervisor.StopAsync(Environment, slot.Process.Slot, TimeSpan.FromSeconds(5));
        }

        _http.Dispose();
        _store.Prune(keep: 0);
        _timeout.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_started_release_runs_detached_answers_its_health_check_and_stops()
    {
        // Process-wide, so other tests' child processes inherit it: keep it out of the RECIPES_ names the recipe checks.
        System.Environment.SetEnvironmentVariable("SUPERVISOR_TESTS_BUILD_SECRET", "s3cret");
        var options = new ReleaseStartOptions
        {
            AspNetCoreEnvironment = "Staging",
            Variables = new Dictionary<string, string> { ["RECIPES_TESTAPP_VERSION"] = "v-1.2.3" },
            Secrets = new Dictionary<string, string> { ["RECIPES_TESTAPP_SECRET"] = "SUPERVISOR_TESTS_BUILD_SECRET" },
        };

        var started = _supervisor.Start(Environment, "blue", _release, options);

        // Not our child: disposing a Process object for it (or the build ending) leaves it running.
        using (var handle = Process.GetProcessById(started.Pid))
        {
            handle.HasExited.ShouldBeFalse();
        }

        var state = JsonDocument.Parse(await File.ReadAllTextAsync(_temp.Combine("state", Environment, "blue.json"), Token)).RootElement;
        state.GetProperty("pid").GetInt32().ShouldBe(started.Pid);
        state.GetProperty("port").GetInt32().ShouldBe(started.Port);
        state.GetProperty("release").GetProperty("folder").GetString().ShouldBe(_release.Folder);
        (await File.ReadAllTextAsync(_temp.Combine("state", Environment, "blue.json"), Token)).ShouldNotContain("s3cret");

        await _supervisor.WaitHealthyAsync(started, "/health", HttpStatusCode.OK, StartTimeout, Token);
        (await _http.GetStringAsync(new Uri(started.Address, "version"), Token)).ShouldBe("v-1.2.3");
        (await _http.GetStringAsync(new Uri(started.Address, "secret"), Token)).ShouldBe("present");
        (await _http.GetStringAsync(new Uri(started.Address, "environment"), Token)).ShouldBe("Staging");
        _supervisor.Status(Environment).ShouldHaveSingleItem().State.ShouldBe(SlotState.Running);
        _supervisor.FoldersInUse().ShouldBe([_release.Folder]);

        var stopped = await _supervisor.StopAsync(Environment, "blue", TimeSpan.FromSeconds(10), Token);

        stopped!.StoppedAt.ShouldNotBeNull();
        var status = _supervisor.Status(Environment).ShouldHaveSingleItem();
        status.State.ShouldBe(SlotState.Stopped);
        status.Process.Pid.ShouldBe(started.Pid);
        _supervisor.FoldersInUse().ShouldBeEmpty();
        await Should.ThrowAsync<HttpRequestException>(() => _http.GetStringAsync(new Uri(started.Address, "health"), Token));
    }

    [Fact]
    public async Task A_release_that_fails_its_health_check_times_out_with_a_clear_error()
    {
        var started = _supervisor.Start(Environment, "green", _release);

        var unhealthy = await Should.ThrowAsync<ReleaseUnhealthyException>(
            () => _supervisor.WaitHealthyAsync(started, "/no-such-path", HttpStatusCode.OK, TimeSpan.FromSeconds(8), Token));

        unhealthy.Message.ShouldStartWith($"{TestAppFeedFixture.Id} {TestAppFeedFixture.Version} in slot green of {Environment} (pid {started.Pid}, port {started.Port}) did not answer GET {started.Address}no-such-path with 200 within 8 s");
        unhealthy.Message.ShouldContain("404");
        unhealthy.Message.ShouldNotContain('\n');
    }

    [Fact]
    public async Task A_health_path_the_app_does_not_map_fails_naming_the_path_that_answers_and_the_setting()
    {
        var started = _supervisor.Start(Environment, "green", _release);

        // The test app maps /health (found in its assembly), not /healthz.
        var unhealthy = await Should.ThrowAsync<ReleaseUnhealthyException>(
            () => _supervisor.WaitHealthyAsync(started, "/healthz", HttpStatusCode.OK, TimeSpan.FromSeconds(5), Token));

        unhealthy.Message.ShouldContain($"did not answer GET {started.Address}healthz with 200 within 5 s (last answer 404 Not Found)");
        unhealthy.Message.ShouldContain(
            "the app has no endpoint at that path, but /health answered 2xx (tried /, /health; /health from Recipes.TestApp.dll): set health.path in environments.yml");
        unhealthy.Message.ShouldNotContain('\n');
    }

    [Fact]
    public async Task A_second_start_in_a_running_slot_is_refused()
    {
        var started = _supervisor.Start(Environment, "blue", _release);

        var refused = Should.Throw<RecipeException>(() => _supervisor.Start(Environment, "blue", _release));

        refused.Message.ShouldBe($"slot blue of {Environment} already runs {TestAppFeedFixture.Id} {TestAppFeedFixture.Version} (pid {started.Pid}); stop it before starting another release there");
        await _supervisor.StopAsync(Environment, "blue", TimeSpan.FromSeconds(10), Token);
    }

    [Fact]
    public async Task A_release_warms_up_at_a_lower_priority_and_has_the_builds_back_once_healthy()
    {
        var build = WarmUpPriority.NicenessOf(System.Environment.ProcessId) ?? 0;
        int? supervisorWhileWarming = null;
        int? appWhileWarming = null;
        // A process still in init's session (as under some CI runners) is in no autogroup of its own: /proc shows no
        // line for it, and it is scheduled as the root group, at nice 0, which is what the release is set against.
        var buildSession = WarmUpPriority.SessionNicenessOf(System.Environment.ProcessId) ?? 0;
        int? sessionWhileWarming = null;

        var started = await _supervisor.StartHealthyAsync(Environment, "blue", _release, new ReleaseStartOptions(), HealthCheck.Default, process =>
        {
            supervisorWhileWarming = WarmUpPriority.NicenessOf(process.Pid);
            sessionWhileWarming = WarmUpPriority.SessionNicenessOf(process.Pid);
            // The supervisor starts the app a moment later; it inherits the group's priority.
            var clock = Stopwatch.StartNew();
            while (Supervision.ProgramPid(process.LogFile) is null && clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(10);
            }

            appWhileWarming = Supervision.ProgramPid(process.LogFile) is { } app ? WarmUpPriority.NicenessOf(app) : null;
        }, Token);

        // Root (as the tests run in CI) may raise it back, so it was lowered; anyone else starts it at the build's priority.
        var warming = WarmUpPriority.Applies ? build + WarmUpPriority.Niceness : build;
        supervisorWhileWarming.ShouldBe(warming);
        appWhileWarming.ShouldBe(warming);
        var program = Supervision.ProgramPid(started.LogFile).ShouldNotBeNull();
        // Nice is per thread on Linux: every thread the app made while warming must have the build's priority back.
        var threads = Directory.GetDirectories($"/proc/{program}/task").Concat(Directory.GetDirectories($"/proc/{started.Pid}/task"))
            .Select(task => (Thread: Path.GetFileName(task), Nice: WarmUpPriority.NicenessOf(int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture))))
            .ToList();
        threads.Count.ShouldBeGreaterThan(2);
        threads.Where(thread => thread.Nice is { } nice && nice != build).ShouldBeEmpty();
        // Where the kernel shares the CPU between sessions first (autogroup), the threads' nice alone would leave the
        // warming release half the cores: its session (it leads one of its own) is lowered too, and raised back.
        if (WarmUpPriority.SessionsScheduled())
        {
            sessionWhileWarming.ShouldBe(WarmUpPriority.Applies ? buildSession + WarmUpPriority.Niceness : buildSession);
            WarmUpPriority.SessionNicenessOf(started.Pid).ShouldBe(buildSession);
        }
    }
}
