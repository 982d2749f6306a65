using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Recipes.Artifacts;
using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service in a temporary repository, built and published three times by the real commit stage: v1, v2 (a
/// new commit) and v3 (a commit whose /greeting answers 500 to every 5th request, and every request but /health once
/// a file turns-bad is in its data folder: the toggle a test flips to make it turn bad after it went live). Each version's manifest is kept,
/// so the tests deploy them with <c>./build.sh --target=Deploy --deploy-version=V --manifest=PATH</c> like a CI deploy job.
/// Every test has environments of its own (own ports, own slots), so the tests do not depend on each other.
/// </summary>
public sealed partial class ServiceReleasesFixture : IDisposable
{
    public ServiceReleasesFixture()
    {
        Repository = new SampleRepository("service");
        V1 = Publish("v1");
        Repository.Commit("A second release");
        V2 = Publish("v2");
        var program = Path.Combine(Repository.Repository, "src", "Acme.Shop.Api", "Program.cs");
        var broken = File.ReadAllText(program).Replace("app.MapGet(\"/health\"", """
            var greetings = 0L;
            app.Use(async (context, next) =>
            {
                if ((context.Request.Path.StartsWithSegments("/greeting") && Interlocked.Increment(ref greetings) % 5 == 0)
                    || (!context.Request.Path.StartsWithSegments("/health") && File.Exists("turns-bad")))
                {
                    context.Response.StatusCode = 500;
                    return;
                }

                await next(context);
            });
            app.MapGet("/health"
            """, StringComparison.Ordinal);
        File.WriteAllText(program, broken);
        Repository.Commit("A release that fails one request in five");
        V3 = Publish("v3");

        var environments = new StringBuilder("environments:\n");
        foreach (var (name, strategy) in new[]
        {
            ("blue-green", "{ kind: blue-green, grace-period: 1s }"),
            ("canary", "{ kind: canary, steps: [20, 50, 100], pause: 3s, max-error-rate: 0.05 }"),
            ("interrupted", "{ kind: blue-green, grace-period: 0s }"),
            ("contended", "{ kind: dark-launch, duration: 6s }"),
            ("tampered", "{ kind: blue-green, grace-period: 0s }"),
            ("staging", "{ kind: blue-green, grace-period: 0s }"),
            ("production", "{ kind: blue-green, grace-period: 0s }"),
            ("toggles", "{ kind: in-place }"),
            ("dark", "{ kind: dark-launch, duration: 3s }"),
            ("clean", "{ kind: blue-green, grace-period: 0s }"),
            ("visits", "{ kind: blue-green, grace-period: 1s }"),
            ("scrubbed", "{ kind: blue-green, grace-period: 0s }"),
            ("drifted", "{ kind: blue-green, grace-period: 0s }"),
        })
        {
            Ports[name] = PublicPorts.Next();
            environments.Append($"""
                  - name: {name}
                    artifact: Acme.Shop.Api
                    port: {Ports[name]}
                    strategy: {strategy}
                    health: {(name == "interrupted" ? HealthWhileNotBad : "{ path: /health, timeout: 60s }")}
                    smoke: [ {"{ path: /version }"} ]
                    features: {"{ LoudGreeting: false }"}

                """);
        }

        environments.Append(WatchedEnvironment());
        File.WriteAllText(Path.Combine(Repository.Repository, "environments.yml"), environments.ToString());
    }

    /// <summary>
    /// A health check on /version, which v3 answers 500 while turns-bad is in its data folder (v1 and v2 do not look):
    /// a test can hold a v3 deployment half-way for as long as it likes.
    /// </summary>
    private const string HealthWhileNotBad = "{ path: /version, timeout: 60s }";

    public SampleRepository Repository { get; }

    public PublishedVersion V1 { get; }

    public PublishedVersion V2 { get; }

    public PublishedVersion V3 { get; }

    public Dictionary<string, int> Ports { get; } = [];

    public string StateDirectory => Repository.StateDirectory;

    public DeploymentLedger Ledger => DeploymentLedger.Open(Path.Combine(StateDirectory, "ledger.db"));

    public ProcessResult Deploy(string environment, PublishedVersion version, params string[] more) =>
        Repository.Build(["--target=Deploy", $"--environment={environment}", $"--deploy-version={version.Version}", $"--manifest={version.Manifest}", .. more]);

    /// <summary>Deploys and fails the test, with the build's output, unless the deployment succeeded.</summary>
    public void Deployed(string environment, PublishedVersion version)
    {
        var result = Deploy(environment, version);
        result.ExitCode.ShouldBe(0, result.All);
    }

    public static LoadOptions Load(int port, string path = "/version", int workers = 4) => new()
    {
        Url = new Uri($"http://127.0.0.1:{port}{path}"),
        MaxDuration = TimeSpan.FromSeconds(90),
        MaxRequests = 100_000,
        Workers = workers,
    };

    /// <summary>The X-App-Version of a response is the informational version, which may carry "+commit".</summary>
    public static string? Plain(string? version) => version?.Split('+')[0];

    public void Dispose()
    {
        Repository.Build("--target=Stop");
        Repository.Dispose();
    }

    private PublishedVersion Publish(string name)
    {
        var result = Repository.Build("--target=CommitStage");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"The commit stage of {name} failed: {result.All}");
        }

        var manifests = Directory.CreateDirectory(Path.Combine(Repository.Root, "manifests")).FullName;
        var manifest = Path.Combine(manifests, name + ".json");
        File.Copy(Path.Combine(Repository.Repository, "artifacts", "manifest.json"), manifest);
        var entry = ArtifactManifest.Read(manifest).Artifacts.Single(a => a.Id == "Acme.Shop.Api");
        return new PublishedVersion(entry.Version, entry.Sha512, manifest);
    }
}

/// <summary>A version of Acme.Shop.Api in the feed, with the manifest of the run that built it.</summary>
public sealed record PublishedVersion(string Version, string Sha512, string Manifest);

[Trait("Category", "Slow")]
public sealed partial class DeploymentTests(ServiceReleasesFixture service) : IClassFixture<ServiceReleasesFixture>
{
    [Fact]
    public async Task Blue_green_under_steady_load_fails_no_request_and_then_only_the_new_version_answers()
    {
        service.Deployed("blue-green", service.V1);

        await using var load = LoadGenerator.Start(ServiceReleasesFixture.Load(service.Ports["blue-green"]));
        await Task.Delay(500);
        var deploy = service.Deploy("blue-green", service.V2);
        var done = load.Elapsed;
        var traffic = await load.StopAsync();

        deploy.ExitCode.ShouldBe(0, deploy.All);
        traffic.Failed.ShouldBe(0);
        traffic.Total.ShouldBeGreaterThan(50);
        traffic.VersionCounts.Keys.Select(ServiceReleasesFixture.Plain).ShouldBe([service.V1.Version, service.V2.Version], ignoreOrder: true);
        // The switch happened before the grace period that ended the deploy: from then on, only v2 answered.
        traffic.VersionsAnsweringAfter(done - TimeSpan.FromSeconds(1)).Select(ServiceReleasesFixture.Plain).ShouldBe([service.V2.Version]);
        SwitchTime().Match(deploy.All).Success.ShouldBeTrue($"the summary reports the switch time: {deploy.All}");

        // The old slot is stopped after the grace period, so a rollback starts v1 again from its kept folder.
        var rollback = service.Repository.Build("--target=Rollback", "--environment=blue-green");
        rollback.ExitCode.ShouldBe(0, rollback.All);
        (await VersionAsync(service.Ports["blue-green"])).ShouldBe(service.V1.Version);
        service.Ledger.History("blue-green").Select(r => (r.Kind, r.Version, r.Outcome)).ShouldBe([
            (DeploymentKind.Rollback, service.V1.Version, DeploymentOutcome.Succeeded),
            (DeploymentKind.Deploy, service.V2.Version, DeploymentOutcome.RolledBack),
            (DeploymentKind.Deploy, service.V1.Version, DeploymentOutcome.Succeeded)]);
        var status = service.Repository.Build("--target=Status", "--environment=blue-green");
        status.All.ShouldMatch($@"live Acme\.Shop\.Api {Regex.Escape(service.V1.Version)} \(ledger #\d+, Rollback");
        status.All.ShouldContain("100% of traffic");
    }

    [Fact]
    public async Task A_canary_failing_a_fifth_of_requests_is_aborted_and_rolled_back_and_the_ledger_says_failed()
    {
        service.Deployed("canary", service.V2);

        await using var load = LoadGenerator.Start(ServiceReleasesFixture.Load(service.Ports["canary"], "/greeting/ada"));
        var deploy = service.Deploy("canary", service.V3);
        var aborted = load.Elapsed;
        await Task.Delay(1000);
        var traffic = await load.StopAsync();

        deploy.ExitCode.ShouldNotBe(0);
        deploy.All.ShouldContain("canary aborted");
        traffic.VersionCounts.Keys.Select(ServiceReleasesFixture.Plain).ShouldContain(service.V3.Version, "the canary took part of the traffic before the abort");
        traffic.VersionsAnsweringAfter(aborted).Select(ServiceReleasesFixture.Plain).ShouldBe([service.V2.Version]);
        var newest = service.Ledger.History("canary")[0];
        (newest.Version, newest.Outcome).ShouldBe((service.V3.Version, DeploymentOutcome.Failed));
        service.Repository.Build("--target=History", "--environment=canary").All.ShouldContain("Failed");
    }

    [Fact]
    public async Task A_deploy_killed_half_way_leaves_v2_serving_and_running_it_again_completes_it()
    {
        var port = service.Ports["interrupted"];
        service.Deployed("interrupted", service.V2);
        // Half-way, for certain: v3 fails its health check while this file is in its data folder, so it is started in
        // the idle slot and can never be switched to, however late the kill comes.
        var notHealthy = Path.Combine(service.StateDirectory, "interrupted", "data", "turns-bad");
        File.WriteAllText(notHealthy, "holds v3 unhealthy");
        var output = new StringBuilder();
        using var deploy = service.Repository.Start(output, "--target=Deploy", "--environment=interrupted", $"--deploy-version={service.V3.Version}", $"--manifest={service.V3.Manifest}");

        var waited = Stopwatch.StartNew();
        while (!Snapshot(output).Contains("Started Acme.Shop.Api", StringComparison.Ordinal))
        {
            deploy.HasExited.ShouldBeFalse(Snapshot(output));
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(2), Snapshot(output));
            await Task.Delay(20);
        }

        deploy.Kill();
        await deploy.WaitForExitAsync();
        Snapshot(output).ShouldNotContain("healthy in slot", Case.Sensitive, "v3 is held unhealthy, so nothing may have moved");

        await using (var load = LoadGenerator.Start(ServiceReleasesFixture.Load(port) with { MaxRequests = 200 }))
        {
            var traffic = await load.Completion;
            traffic.Failed.ShouldBe(0);
            traffic.VersionCounts.Keys.Select(ServiceReleasesFixture.Plain).ShouldBe([service.V2.Version]);
        }

        File.Delete(notHealthy);
        var again = service.Deploy("interrupted", service.V3);
        again.ExitCode.ShouldBe(0, again.All);
        again.All.ShouldContain("never finished");
        (await VersionAsync(port)).ShouldBe(service.V3.Version);
        service.Ledger.History("interrupted").Select(r => (r.Version, r.Outcome)).ShouldBe([
            (service.V3.Version, DeploymentOutcome.Succeeded),
            (service.V3.Version, DeploymentOutcome.Failed),
            (service.V2.Version, DeploymentOutcome.Succeeded)]);
    }

    [Fact]
    public async Task Of_two_deploys_at_once_the_second_fails_naming_the_first_and_the_first_completes()
    {
        service.Deployed("contended", service.V1);
        var first = new StringBuilder();
        using var running = service.Repository.Start(first, "--target=Deploy", "--environment=contended", $"--deploy-version={service.V2.Version}", $"--manifest={service.V2.Manifest}");
        // The first holds the lock through its 6 s dark launch (not through a blue-green grace period, which frees it).
        var waited = Stopwatch.StartNew();
        while (!Snapshot(first).Contains("Dark launch:", StringComparison.Ordinal))
        {
            running.HasExited.ShouldBeFalse(Snapshot(first));
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(2), Snapshot(first));
            await Task.Delay(20);
        }

        var second = service.Deploy("contended", service.V1, "--lock-timeout=1s");
        await running.WaitForExitAsync();

        second.ExitCode.ShouldNotBe(0);
        second.All.ShouldMatch($@"Deploy of Acme\.Shop\.Api {Regex.Escape(service.V2.Version)}");
        running.ExitCode.ShouldBe(0, Snapshot(first));
        (await VersionAsync(service.Ports["contended"])).ShouldBe(service.V2.Version);
        service.Ledger.History("contended").Select(r => (r.Version, r.Outcome)).ShouldBe([
            (service.V2.Version, DeploymentOutcome.Succeeded),
            (service.V1.Version, DeploymentOutcome.Succeeded)]);
    }

    [Fact]
    public void A_tampered_package_in_the_feed_is_refused_before_anything_starts()
    {
        var tampered = Path.Combine(service.Repository.Root, "tampered-feed");
        Directory.CreateDirectory(tampered);
        var original = Directory.EnumerateFiles(service.Repository.Feed, $"Acme.Shop.Api.{service.V1.Version}.nupkg", SearchOption.AllDirectories).Single();
        var copy = Path.Combine(tampered, Path.GetFileName(original));
        File.Copy(original, copy);
        File.AppendAllText(copy, "x");

        var deploy = service.Deploy("tampered", service.V1, $"--feed={tampered}");

        deploy.ExitCode.ShouldNotBe(0);
        deploy.All.ShouldContain("refusing to deploy");
        Directory.Exists(Path.Combine(service.StateDirectory, "slots", "tampered")).ShouldBeFalse("no release process was started");
        Directory.Exists(Path.Combine(service.StateDirectory, "tampered", "router")).ShouldBeFalse("not even the router");
    }

    [Fact]
    public async Task Promote_deploys_to_production_the_identical_digest_that_is_live_in_staging()
    {
        service.Deployed("staging", service.V2);

        var promote = service.Repository.Build("--target=Promote", "--from=staging", "--to=production");

        promote.ExitCode.ShouldBe(0, promote.All);
        var live = service.Ledger.Live("production")!;
        (live.Kind, live.Version, live.Digest).ShouldBe((DeploymentKind.Promote, service.V2.Version, service.V2.Sha512));
        (await VersionAsync(service.Ports["production"])).ShouldBe(service.V2.Version);
    }

    [Fact]
    public async Task A_release_changes_the_toggle_in_the_running_app_for_that_share_of_users_each_keeping_its_answer_without_a_restart()
    {
        var port = service.Ports["toggles"];
        service.Deployed("toggles", service.V1);
        var pid = RunningPids("toggles");
        (await LoudUsersAsync(port, 50)).ShouldBeEmpty();

        var release = service.Repository.Build("--target=Release", "--environment=toggles", "--feature=LoudGreeting", "--percentage=30");
        release.ExitCode.ShouldBe(0, release.All);

        // The app reloads the file on change; give the watcher a moment, then measure over 1,000 users.
        var deadline = Stopwatch.StartNew();
        while ((await LoudUsersAsync(port, 50)).Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(200);
        }

        var loud = await LoudUsersAsync(port, 1000);
        (loud.Count / 1000.0).ShouldBeInRange(0.25, 0.35);
        (await LoudUsersAsync(port, 1000)).ShouldBe(loud, "each user keeps the answer it got");
        using var anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        (await GreetingAsync(anonymous, port, user: null)).ShouldBe("""{"greeting":"Welcome, ada."}""", "a request with no user id is outside the percentage");
        RunningPids("toggles").ShouldBe(pid, "no restart");
        service.Ledger.History("toggles")[0].Kind.ShouldBe(DeploymentKind.Release);
    }

    [Fact]
    public async Task A_dark_launch_reports_mirrored_requests_and_their_status_comparison_while_users_get_only_the_live_version()
    {
        service.Deployed("dark", service.V1);

        await using var load = LoadGenerator.Start(ServiceReleasesFixture.Load(service.Ports["dark"]));
        var output = new StringBuilder();
        using var deploy = service.Repository.Start(output, "--target=Deploy", "--environment=dark", $"--deploy-version={service.V2.Version}", $"--manifest={service.V2.Manifest}");
        var mirroringFrom = TimeSpan.Zero;
        var judgedAt = TimeSpan.Zero;
        while (!deploy.HasExited)
        {
            var text = Snapshot(output);
            if (mirroringFrom == TimeSpan.Zero && text.Contains("Dark launch:", StringComparison.Ordinal))
            {
                mirroringFrom = load.Elapsed;
            }

            if (judgedAt == TimeSpan.Zero && text.Contains("dark launch:", StringComparison.Ordinal))
            {
                judgedAt = load.Elapsed;
            }

            await Task.Delay(10);
        }

        var traffic = await load.StopAsync();
        deploy.ExitCode.ShouldBe(0, Snapshot(output));
        Snapshot(output).ShouldMatch(@"dark launch: [1-9]\d* request\(s\) mirrored to \S+, 0 answered with another status");
        traffic.Failed.ShouldBe(0);
        var whileMirroring = traffic.Requests.Where(r => r.Started >= mirroringFrom && r.Ended <= judgedAt - TimeSpan.FromMilliseconds(300)).ToList();
        whileMirroring.Count.ShouldBeGreaterThan(20);
        whileMirroring.Select(r => ServiceReleasesFixture.Plain(r.Version)).Distinct().ShouldBe([service.V1.Version]);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private IReadOnlyList<int> RunningPids(string environment) =>
        [.. new ProcessSupervisor(Path.Combine(service.StateDirectory, "slots")).Status(environment).Where(s => s.State == SlotState.Running).Select(s => s.Process.Pid)];

    private static async Task<string?> VersionAsync(int port)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var response = await http.GetAsync($"http://127.0.0.1:{port}/version");
        return ServiceReleasesFixture.Plain(response.Headers.TryGetValues("X-App-Version", out var values) ? values.Single() : null);
    }

    /// <summary>Which of users user-0 to user-N (named by the X-User-Id header the sample app targets by) get the loud greeting.</summary>
    private static async Task<HashSet<int>> LoudUsersAsync(int port, int users)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var loud = new HashSet<int>();
        for (var i = 0; i < users; i++)
        {
            if ((await GreetingAsync(http, port, $"user-{i}")).Contains("WELCOME", StringComparison.Ordinal))
            {
                loud.Add(i);
            }
        }

        return loud;
    }

    private static async Task<string> GreetingAsync(HttpClient http, int port, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/greeting/ada");
        if (user is not null)
        {
            request.Headers.Add("X-User-Id", user);
        }

        using var response = await http.SendAsync(request);
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    [GeneratedRegex(@"Traffic switch:\s+\d+ ms")]
    private static partial Regex SwitchTime();
}
