using Recipes.Artifacts;
using Recipes.Deployment.Hosts;
using Recipes.Tests.Support;
using Recipes.Tests.Support.Fleet;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service with one <c>target: hosts</c> environment of the run's three SSH hosts (<see cref="Fleet"/>) behind
/// nginx, through the real <c>./build.sh</c>: blue-green v1 -> v2 under load through nginx, Rollback, a changed host
/// key refused with nothing uploaded, the SSH key and a secret looked for everywhere they must not be; then rolling
/// v1 -> v2 one host at a time and a canary of a broken v3 aborted, both under load.
/// </summary>
[Trait("Category", "Slow")]
[Collection(FleetCollection.Name)]
public sealed class HostsDeploymentTests : IDisposable
{
    private const string Environment = "fleet";
    private readonly Fleet _fleet = Fleet.Shared;
    private readonly SampleRepository _repo = new("service");
    private readonly int _port = PublicPorts.Next();
    private readonly string _secret = $"shop-secret-{Guid.NewGuid():N}";
    private readonly string _run = $"run-{Guid.NewGuid():N}"[..12];
    private readonly List<ProcessResult> _outputs = [];

    public HostsDeploymentTests()
    {
        _repo.Environment["DEPLOY_SSH_KEY"] = _fleet.ClientKey;
        _repo.Environment["SHOP_API_KEY"] = _secret;
        Directory.CreateDirectory(Path.Combine(_repo.Repository, "deploy"));
        File.Copy(_fleet.KnownHosts, KnownHosts);
        WriteEnvironment("{ kind: blue-green, grace-period: 0s }");
        _repo.Commit("One hosts environment of three hosts");
        _fleet.Track(Path.Combine(_repo.StateDirectory, "hosts", Environment, "nginx", "nginx.pid"));
    }

    private void WriteEnvironment(string strategy)
    {
        var hosts = string.Join(", ", _fleet.Hosts.Select(host => $"{{ address: {host.Address}, user: root, path: {HostPath(host)} }}"));
        _repo.Write("environments.yml", $$"""
            environments:
              - name: {{Environment}}
                artifact: Acme.Shop.Api
                target: hosts
                port: {{_port}}
                hosts: [ {{hosts}} ]
                ssh: { key-from-env: DEPLOY_SSH_KEY, known-hosts: deploy/known_hosts }
                balancer: { kind: nginx }
                strategy: {{strategy}}
                health: { path: /health, timeout: 60s }
                smoke: [ { path: /version } ]
                secrets: { Shop__ApiKey: { from-env: SHOP_API_KEY } }
            """);
    }

    private string KnownHosts => Path.Combine(_repo.Repository, "deploy", "known_hosts");

    public void Dispose()
    {
        File.Copy(_fleet.KnownHosts, KnownHosts, overwrite: true); // the real keys again, so that Stop reaches every host
        _repo.Build("--target=Stop");
        _repo.Dispose();
    }

    [Fact]
    public async Task Across_three_hosts_blue_green_and_rolling_fail_no_request_a_broken_canary_aborts_a_changed_host_key_is_refused_and_nothing_leaks()
    {
        var v1 = Publish("v1");
        Succeeds(Deploy(v1), "Deploy v1");
        (await VersionAsync($"http://127.0.0.1:{_port}/version")).ShouldBe(v1.Version);
        foreach (var host in _fleet.Hosts)
        {
            (await VersionAsync($"http://{host.Address}:{_port + 1}/version")).ShouldBe(v1.Version, $"slot blue of {host.Address}");
        }

        _repo.Commit("A second release");
        var v2 = Publish("v2");
        await using (var load = LoadGenerator.Start(new LoadOptions
        {
            Url = new Uri($"http://127.0.0.1:{_port}/version"), MaxDuration = TimeSpan.FromMinutes(3), MaxRequests = 1_000_000,
        }))
        {
            await Task.Delay(500); // some v1 answers before the deploy starts; v1 was checked to answer above
            Succeeds(Deploy(v2), "Deploy v2");
            var done = load.Elapsed;
            await Task.Delay(500); // answers to requests sent after the deploy ended, which must all be v2's
            var traffic = await load.StopAsync();

            traffic.Failed.ShouldBe(0, string.Join("; ", traffic.Requests.Where(r => r.Failed).Select(r => $"{r.StatusCode?.ToString() ?? r.Error} {r.Detail}")));
            traffic.VersionCounts.Keys.Select(Plain).ShouldBe([v1.Version, v2.Version], ignoreOrder: true);
            traffic.VersionsAnsweringAfter(done).Select(Plain).ShouldBe([v2.Version], "the deploy ended after nginx's switch");
        }

        foreach (var host in _fleet.Hosts)
        {
            (await VersionAsync($"http://{host.Address}:{_port + 2}/version")).ShouldBe(v2.Version, $"slot green of {host.Address}");
        }

        Succeeds(_repo.Build("--target=Rollback", $"--environment={Environment}"), "Rollback");
        (await VersionAsync($"http://127.0.0.1:{_port}/version")).ShouldBe(v1.Version);

        // Shown 6: a host whose key is not the pinned one is refused before anything is sent to any host.
        var before = HostFiles();
        var lines = File.ReadAllLines(KnownHosts);
        var other = Path.Combine(_repo.Root, "other_host_key");
        ProcessRunner.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other], _repo.Root, TimeSpan.FromSeconds(30)).ExitCode.ShouldBe(0);
        lines[1] = $"{_fleet.Hosts[1].Address} {File.ReadAllText(other + ".pub").Trim()}";
        File.WriteAllLines(KnownHosts, lines);
        var refused = Deploy(v2, "--force"); // v2 was rolled back: deployed again only on purpose
        _outputs.Add(refused);
        refused.ExitCode.ShouldNotBe(0);
        OneLineError.LineOf(refused.Error).ShouldContain($"Host root@{_fleet.Hosts[1].Address} showed the host key ssh-ed25519 SHA256:");
        HostFiles().ShouldBe(before, "nothing was uploaded to any host");
        (await VersionAsync($"http://127.0.0.1:{_port}/version")).ShouldBe(v1.Version);

        // Shown 7: the key and the secret are only where they belong: the key in its variable, the secret in the slot's environment file.
        var keyBody = _fleet.ClientKey.Split('\n')[1];
        foreach (var output in _outputs)
        {
            output.All.ShouldNotContain(_secret);
            output.All.ShouldNotContain(keyBody);
        }

        var holding = FilesContaining(_secret).Concat(FilesContaining(keyBody)).ToList();
        holding.ShouldAllBe(file => file.EndsWith("/slots/blue/env", StringComparison.Ordinal), string.Join(", ", holding));
        holding.Count.ShouldBe(_fleet.Hosts.Count, "each host's live slot has the secret in its environment file");

        File.Copy(_fleet.KnownHosts, KnownHosts, overwrite: true);
        await Rolling_v1_to_v2_one_host_at_a_time_keeps_two_hosts_serving_and_fails_no_request(v1, v2);
        await A_canary_of_a_broken_v3_across_the_fleet_aborts_and_no_request_after_the_abort_reaches_it(v2);
    }

    /// <summary>Shown 2: batch 1 over three hosts; every upstream nginx had during the deployment lists at least two hosts.</summary>
    private async Task Rolling_v1_to_v2_one_host_at_a_time_keeps_two_hosts_serving_and_fails_no_request(Published v1, Published v2)
    {
        WriteEnvironment("{ kind: rolling, batch: 1, pause: 1s }");
        _repo.Commit("Rolling, one host at a time");
        var history = Path.Combine(_repo.StateDirectory, "hosts", Environment, "nginx", "upstream.history");
        var before = File.ReadAllLines(history).Length;
        await using var load = LoadGenerator.Start(new LoadOptions
        {
            Url = new Uri($"http://127.0.0.1:{_port}/version"), MaxDuration = TimeSpan.FromMinutes(3), MaxRequests = 1_000_000,
        });
        await Task.Delay(500);
        Succeeds(Deploy(v2, "--force"), "Rolling deploy of v2"); // v2 was rolled back: deployed again on purpose
        var done = load.Elapsed;
        await Task.Delay(500);
        var traffic = await load.StopAsync();

        traffic.Failed.ShouldBe(0, string.Join("; ", traffic.Requests.Where(r => r.Failed).Select(r => $"{r.StatusCode?.ToString() ?? r.Error} {r.Detail}")));
        traffic.VersionCounts.Keys.Select(Plain).ShouldBe([v1.Version, v2.Version], ignoreOrder: true);
        traffic.VersionsAnsweringAfter(done).Select(Plain).ShouldBe([v2.Version]);
        var upstreams = File.ReadAllLines(history)[before..];
        upstreams.Length.ShouldBe(2 * _fleet.Hosts.Count, "each host drained, then put back");
        foreach (var upstream in upstreams)
        {
            upstream.Split(' ').Select(server => server.Split(':')[0]).Distinct().Count().ShouldBeGreaterThanOrEqualTo(2, upstream);
        }

        upstreams[^1].Split(' ').ShouldBe([.. _fleet.Hosts.Select(host => $"{host.Address}:{_port + 2}*1")], ignoreOrder: true);
    }

    /// <summary>Shown 3: v3 answers every second /version with 500; the analysis of nginx's log aborts it on every host.</summary>
    private async Task A_canary_of_a_broken_v3_across_the_fleet_aborts_and_no_request_after_the_abort_reaches_it(Published v2)
    {
        WriteEnvironment("{ kind: canary, steps: [30, 100], pause: 3s, max-error-rate: 0.05, min-requests: 10 }");
        var program = Path.Combine(_repo.Repository, "src", "Acme.Shop.Api", "Program.cs");
        var healthy = "app.MapGet(\"/version\", () => Results.Ok(new { version }));";
        File.ReadAllText(program).ShouldContain(healthy);
        _repo.Write("src/Acme.Shop.Api/Program.cs", File.ReadAllText(program).Replace(healthy,
            "var calls = 0;\napp.MapGet(\"/version\", () => Interlocked.Increment(ref calls) % 2 == 0 ? Results.StatusCode(500) : Results.Ok(new { version }));", StringComparison.Ordinal));
        _repo.Commit("Canary steps; v3 fails every second /version");
        var v3 = Publish("v3");
        var accessLog = Path.Combine(_repo.StateDirectory, "hosts", Environment, "nginx", "access.log");
        var canaryPort = $":{_port + 1}"; // v2 serves from green after the rolling deployment, so the canary starts in blue

        ProcessResult canary;
        await using (var load = LoadGenerator.Start(new LoadOptions
        {
            Url = new Uri($"http://127.0.0.1:{_port}/version"), MaxDuration = TimeSpan.FromMinutes(3), MaxRequests = 1_000_000,
        }))
        {
            canary = Deploy(v3);
            var during = await load.StopAsync();
            during.VersionCounts.Keys.Select(Plain).ShouldContain(v3.Version, "the canary took a share of the traffic before it was aborted");
        }

        canary.ExitCode.ShouldNotBe(0, canary.All);
        OneLineError.LineOf(canary.Error).ShouldContain("5xx rate above the limit");
        _repo.Build("--target=History", $"--environment={Environment}").Output.Split('\n').First(line => line.Contains(v3.Version, StringComparison.Ordinal)).ShouldContain("Failed");

        // Every request after the aborted Deploy ended: v1's, and nginx sent none to the canary's port on any host.
        var offset = new FileInfo(accessLog).Length;
        await using var after = LoadGenerator.Start(new LoadOptions { Url = new Uri($"http://127.0.0.1:{_port}/version"), MaxDuration = TimeSpan.FromMinutes(1), MaxRequests = 200 });
        var traffic = await after.Completion;
        traffic.Total.ShouldBe(200);
        traffic.Failed.ShouldBe(0);
        traffic.VersionCounts.Keys.Select(Plain).ShouldBe([v2.Version]);
        var logged = NginxAccessLog.ReadSince(accessLog, offset);
        logged.Count.ShouldBeGreaterThanOrEqualTo(200);
        logged.ShouldAllBe(answer => !answer.Server.EndsWith(canaryPort, StringComparison.Ordinal));
    }

    private string HostPath(FleetHost host) => Path.Combine(host.Path, _run);

    private void Succeeds(ProcessResult result, string what)
    {
        _outputs.Add(result);
        result.ExitCode.ShouldBe(0, $"{what}: {result.All}");
    }

    private sealed record Published(string Version, string Manifest);

    private Published Publish(string name)
    {
        var result = _repo.Build("--target=CommitStage");
        Succeeds(result, $"CommitStage {name}");
        var kept = Path.Combine(_repo.Root, $"manifest-{name}.json");
        File.Copy(Path.Combine(_repo.Repository, "artifacts", "manifest.json"), kept, overwrite: true);
        return new Published(ArtifactManifest.Read(kept).Artifacts.Single(a => a.Id == "Acme.Shop.Api").Version, kept);
    }

    private ProcessResult Deploy(Published version, params string[] more) =>
        _repo.Build(["--target=Deploy", $"--environment={Environment}", $"--deploy-version={version.Version}", $"--manifest={version.Manifest}", .. more]);

    /// <summary>Every file and folder under the hosts' deploy folders of this test.</summary>
    private string[] HostFiles() =>
        [.. _fleet.Hosts.SelectMany(host => Directory.GetFileSystemEntries(HostPath(host), "*", SearchOption.AllDirectories)).Order(StringComparer.Ordinal)];

    /// <summary>Files under the repository, its state folder and the hosts' folders that hold <paramref name="text"/>.</summary>
    private IEnumerable<string> FilesContaining(string text)
    {
        var roots = new[] { _repo.Repository, _repo.StateDirectory }.Concat(_fleet.Hosts.Select(HostPath)).Where(Directory.Exists);
        return roots.SelectMany(root => Directory.GetFiles(root, "*", SearchOption.AllDirectories))
            .Where(file => !file.Contains("/.git/", StringComparison.Ordinal) && File.ReadAllText(file).Contains(text, StringComparison.Ordinal));
    }

    private static async Task<string?> VersionAsync(string url)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(url);
        return Plain(response.Headers.TryGetValues("X-App-Version", out var values) ? values.Single() : null);
    }

    private static string? Plain(string? version) => version?.Split('+')[0];
}
