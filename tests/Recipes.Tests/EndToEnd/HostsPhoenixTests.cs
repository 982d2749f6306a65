using Recipes.Artifacts;
using Recipes.Deployment;
using Recipes.Tests.Support;
using Recipes.Tests.Support.Fleet;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service with a <c>target: hosts</c> environment of the run's three SSH hosts behind nginx, through the real
/// <c>./build.sh</c>, one published v1 shared by every step (a second CommitStage would cost minutes): a file edited
/// by hand is found by Drift and, with a host wiped clean, ended by Reprovision from the ledger and the feed; a host
/// lost while v1 is deployed again fails it in one line while the others keep serving, and the spare host put in its
/// place is rebuilt; bad hosts are refused in one line with nothing switched; the SSH key and a secret are nowhere
/// they must not be.
/// </summary>
[Trait("Category", "Slow")]
[Collection(FleetCollection.Name)]
public sealed class HostsPhoenixTests : IDisposable
{
    private const string Environment = "phoenix";
    private readonly Fleet _fleet = Fleet.Shared;
    private readonly SampleRepository _repo = new("service");
    private readonly int _port = PublicPorts.Next();
    private readonly string _secret = $"phoenix-secret-{Guid.NewGuid():N}";
    private readonly string _run = $"px-{Guid.NewGuid():N}"[..11];
    private readonly List<ProcessResult> _outputs = [];

    public HostsPhoenixTests()
    {
        _repo.Environment["DEPLOY_SSH_KEY"] = _fleet.ClientKey;
        _repo.Environment["SHOP_API_KEY"] = _secret;
        Directory.CreateDirectory(Path.Combine(_repo.Repository, "deploy"));
        File.Copy(_fleet.KnownHosts, Path.Combine(_repo.Repository, "deploy", "known_hosts"));
        WriteEnvironment(_fleet.Hosts.Select(host => Entry(host)));
        _repo.Commit("One hosts environment of three hosts");
        _fleet.Track(Path.Combine(_repo.StateDirectory, "hosts", Environment, "nginx", "nginx.pid"));
    }

    public void Dispose()
    {
        // The hosts this test lost come back for the classes after it; Stop reaches every host still listed.
        foreach (var host in _fleet.Hosts.Append(_fleet.Spare).Where(host => !Answers(host)))
        {
            _fleet.BringBack(host);
        }

        WriteEnvironment([.. _fleet.Hosts.Append(_fleet.Spare).Select(host => Entry(host))]);
        _repo.Build("--target=Stop");
        _repo.Dispose();
    }

    [Fact]
    public async Task Drift_reprovision_a_lost_host_and_refusals_across_three_hosts()
    {
        var (h1, h2, h3) = (_fleet.Hosts[0], _fleet.Hosts[1], _fleet.Hosts[2]);
        var v1 = Publish("v1");
        Succeeds(Deploy(v1), "Deploy v1");
        await ServesAsync(v1, h1, h2, h3);

        // Shown 5: a file edited by hand on one host is drift, named by host and file.
        File.AppendAllText(Path.Combine(LiveFolder(h2), "app", "appsettings.json"), "\n");
        var drift = Run("--target=Drift", $"--environment={Environment}");
        drift.ExitCode.ShouldBe(1, drift.All);
        OneLineError.LineOf(drift.Error).ShouldContain($"host root@{h2.Address} slot blue");
        drift.All.ShouldContain("app/appsettings.json");
        drift.Output.Split('\n').Where(line => line.Contains($"root@{h1.Address} slot blue", StringComparison.Ordinal)).ShouldHaveSingleItem().ShouldContain("no drift");

        // Phoenix: with h3 wiped clean too (everything killed, its folder deleted, a fresh sshd), one Reprovision of
        // every host rebuilds them from the ledger and the feed, and Drift finds nothing left.
        _fleet.Lose(h3);
        Directory.Delete(HostPath(h3), recursive: true);
        _fleet.BringBack(h3);
        Succeeds(_repo.Build("--target=Reprovision", $"--environment={Environment}"), "Reprovision of every host");
        Succeeds(_repo.Build("--target=Drift", $"--environment={Environment}"), "Drift after Reprovision");
        Path.GetFileName(LiveFolder(h3)).ShouldContain(v1.Digest[..12]);
        await ServesAsync(v1, h1, h2, h3);

        // Shown 4: a host lost mid-deployment (v1 again, into slot green) fails it in one line naming the host; the
        // others keep serving slot blue, nginx was not switched, and the ledger says Failed.
        File.AppendAllText(Path.Combine(LiveFolder(h1), "app", "appsettings.json"), "\n");
        var upstream = Upstream();
        var before = Entries(HostPath(h3));
        var deploying = Task.Run(() => Deploy(v1));
        while (!deploying.IsCompleted && Entries(HostPath(h3)).SequenceEqual(before))
        {
            await Task.Delay(10);
        }

        _fleet.Lose(h3);
        var lost = await deploying;
        _outputs.Add(lost);
        lost.ExitCode.ShouldNotBe(0);
        OneLineError.LineOf(lost.Error).ShouldContain($"Host root@{h3.Address} was lost");
        lost.Output.ShouldContain($"warning: {Environment} had drifted", Case.Sensitive, "the deploy onto a drifted host says so");
        Upstream().ShouldBe(upstream, "nginx was not switched");
        await ServesAsync(v1, h1, h2);
        foreach (var host in new[] { h1, h2 })
        {
            (await AnswersHttpAsync($"http://{host.Address}:{_port + 2}/version")).ShouldBeFalse($"slot green of {host.Address} was stopped");
        }

        var failed = DeploymentLedger.Open(Path.Combine(_repo.StateDirectory, "ledger.db")).History(Environment)[0];
        failed.Outcome.ShouldBe(DeploymentOutcome.Failed);
        failed.Details.ShouldNotBeNull().ShouldContain($"Host root@{h3.Address} was lost");

        // The spare takes the lost host's place in the file; one command rebuilds it with the live release.
        var spare = _fleet.Spare;
        WriteEnvironment([Entry(h1), Entry(h2), Entry(spare)]);
        Succeeds(_repo.Build("--target=Reprovision", $"--environment={Environment}", $"--host={spare.Address}"), "Reprovision of the spare");
        await ServesAsync(v1, h1, h2, spare);
        Upstream().ShouldBe([.. new[] { h1, h2, spare }.Select(host => $"{host.Address}:{_port + 1}")]);

        // Shown 6 and 8: refusals in one line, nothing uploaded and nothing switched.
        var files = new[] { h1, h2, spare }.SelectMany(host => Entries(HostPath(host))).ToList();
        upstream = Upstream();
        Refused(v1, [Entry(h1), Entry(h2), Entry(h3)], 1, $"Host root@{h3.Address} could not be reached");
        Refused(v1, [Entry(h1), Entry(h2, "deploy"), Entry(spare)], 1, $"Host deploy@{h2.Address} refused the SSH key for user deploy");
        var duplicate = Refused(v1, [Entry(h1), Entry(h2), Entry(h1)], 2, "environments.yml:");
        duplicate.ShouldContain($"'hosts[].address' {h1.Address} is listed twice");
        new[] { h1, h2, spare }.SelectMany(host => Entries(HostPath(host))).ShouldBe(files, "nothing was uploaded to any host");
        Upstream().ShouldBe(upstream, "nginx was not switched");
        await ServesAsync(v1, h1, h2, spare);

        // Shown 8: the team's nginx directives that fail nginx -t: one line, the new slots stopped, and nginx's files
        // exactly as the running nginx serves them (the old configuration keeps serving).
        var nginx = Path.Combine(_repo.StateDirectory, "hosts", Environment, "nginx");
        var config = File.ReadAllText(Path.Combine(nginx, "nginx.conf"));
        _repo.Write("deploy/nginx-location.conf", "proxy_read_timeout not-a-time;\n");
        var refusedConfig = Refused(v1, [Entry(h1), Entry(h2), Entry(spare)], 1, "nginx -t refused the new configuration", "{ kind: nginx, include: deploy/nginx-location.conf }");
        refusedConfig.ShouldContain("the old configuration keeps serving");
        File.ReadAllText(Path.Combine(nginx, "nginx.conf")).ShouldBe(config, "nginx.conf is as before");
        Upstream().ShouldBe(upstream, "nginx's upstream is as before");
        File.Exists(Path.Combine(nginx, "location.conf")).ShouldBeFalse("the refused directives were not left beside nginx.conf");
        await ServesAsync(v1, h1, h2, spare);
        foreach (var host in new[] { h1, h2, spare })
        {
            (await AnswersHttpAsync($"http://{host.Address}:{_port + 2}/version")).ShouldBeFalse($"slot green of {host.Address} was stopped");
        }

        // Shown 7: the key and the secret appear in no output, and in no file but the live slots' environment files.
        var keyBody = _fleet.ClientKey.Split('\n')[1];
        foreach (var output in _outputs)
        {
            output.All.ShouldNotContain(_secret);
            output.All.ShouldNotContain(keyBody);
        }

        var holding = FilesContaining(_secret).Concat(FilesContaining(keyBody)).ToList();
        holding.ShouldAllBe(file => file.EndsWith("/slots/blue/env", StringComparison.Ordinal), string.Join(", ", holding));
    }

    private string Refused(Published version, IEnumerable<string> hosts, int exitCode, string expected, string balancer = "{ kind: nginx }")
    {
        WriteEnvironment(hosts, balancer);
        var result = Deploy(version);
        _outputs.Add(result);
        result.ExitCode.ShouldBe(exitCode, result.All);
        var line = OneLineError.LineOf(result.Error);
        line.ShouldContain(expected);
        return line;
    }

    private void WriteEnvironment(IEnumerable<string> hosts, string balancer = "{ kind: nginx }") =>
        _repo.Write("environments.yml", $$"""
            environments:
              - name: {{Environment}}
                artifact: Acme.Shop.Api
                target: hosts
                port: {{_port}}
                hosts:
            {{string.Concat(hosts.Select(host => $"      - {host}\n"))}}    ssh: { key-from-env: DEPLOY_SSH_KEY, known-hosts: deploy/known_hosts }
                balancer: {{balancer}}
                strategy: { kind: blue-green, grace-period: 0s }
                health: { path: /health, timeout: 60s }
                smoke: [ { path: /version } ]
                secrets: { Shop__ApiKey: { from-env: SHOP_API_KEY } }
            """);

    private string Entry(FleetHost host, string user = "root") => $"{{ address: {host.Address}, user: {user}, path: {HostPath(host)} }}";

    private string HostPath(FleetHost host) => Path.Combine(host.Path, _run);

    /// <summary>The release folder slot blue of <paramref name="host"/> was started with (the namespaces share this file system).</summary>
    private string LiveFolder(FleetHost host) => File.ReadAllText(Path.Combine(HostPath(host), "slots", "blue", "release")).Trim();

    private IReadOnlyList<string> Upstream() =>
        [.. File.ReadLines(Path.Combine(_repo.StateDirectory, "hosts", Environment, "nginx", "upstream.conf")).Select(line => line.Split(' ')[1])];

    private static string[] Entries(string folder) =>
        Directory.Exists(folder) ? [.. Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : [];

    private static bool Answers(FleetHost host)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            return client.ConnectAsync(host.Address, 22).Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    /// <summary>nginx and slot blue of each of <paramref name="hosts"/> answer with <paramref name="version"/>.</summary>
    private async Task ServesAsync(Published version, params FleetHost[] hosts)
    {
        for (var i = 0; i < 6; i++)
        {
            (await VersionAsync($"http://127.0.0.1:{_port}/version")).ShouldBe(version.Version, "through nginx");
        }

        foreach (var host in hosts)
        {
            (await VersionAsync($"http://{host.Address}:{_port + 1}/version")).ShouldBe(version.Version, $"slot blue of {host.Address}");
        }
    }

    private ProcessResult Run(params string[] arguments)
    {
        var result = _repo.Build(arguments);
        _outputs.Add(result);
        return result;
    }

    private void Succeeds(ProcessResult result, string what)
    {
        _outputs.Add(result);
        result.ExitCode.ShouldBe(0, $"{what}: {result.All}");
    }

    private sealed record Published(string Version, string Digest, string Manifest);

    private Published Publish(string name)
    {
        Succeeds(_repo.Build("--target=CommitStage"), $"CommitStage {name}");
        var kept = Path.Combine(_repo.Root, $"manifest-{name}.json");
        File.Copy(Path.Combine(_repo.Repository, "artifacts", "manifest.json"), kept, overwrite: true);
        var entry = ArtifactManifest.Read(kept).Artifacts.Single(a => a.Id == "Acme.Shop.Api");
        return new Published(entry.Version, entry.Sha512, kept);
    }

    private ProcessResult Deploy(Published version) =>
        _repo.Build("--target=Deploy", $"--environment={Environment}", $"--deploy-version={version.Version}", $"--manifest={version.Manifest}");

    /// <summary>Files under the repository, its state folder and the hosts' folders that hold <paramref name="text"/>.</summary>
    private IEnumerable<string> FilesContaining(string text)
    {
        var roots = new[] { _repo.Repository, _repo.StateDirectory }.Concat(_fleet.Hosts.Append(_fleet.Spare).Select(HostPath)).Where(Directory.Exists);
        return roots.SelectMany(root => Directory.GetFiles(root, "*", SearchOption.AllDirectories))
            .Where(file => !file.Contains("/.git/", StringComparison.Ordinal) && File.ReadAllText(file).Contains(text, StringComparison.Ordinal));
    }

    private static async Task<bool> AnswersHttpAsync(string url)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(url);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<string?> VersionAsync(string url)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(url);
        return response.Headers.TryGetValues("X-App-Version", out var values) ? values.Single().Split('+')[0] : null;
    }
}
