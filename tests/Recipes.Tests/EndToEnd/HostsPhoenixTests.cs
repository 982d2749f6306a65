using Recipes.Deployment;
using Recipes.Tests.Support;
using Recipes.Tests.Support.Fleet;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service (the Fleet collection's <see cref="HostsSample"/>) with a <c>target: hosts</c> environment of the
/// run's three SSH hosts behind nginx, through the real <c>./build.sh</c>: a file edited by hand is found by Drift and,
/// with a host wiped clean, ended by Reprovision from the ledger and the feed; a host lost while v2 is deployed over v1
/// fails it in one line while the others keep serving v1, and the spare host put in its place is rebuilt with v1;
/// bad hosts are refused in one line with nothing switched; the SSH key and a secret are nowhere they must not be.
/// </summary>
[Trait("Category", "Slow")]
[Collection(FleetCollection.Name)]
public sealed class HostsPhoenixTests(HostsSample sample) : IDisposable
{
    private readonly HostsEnvironment _env = new(sample, "phoenix");
    private readonly Fleet _fleet = Fleet.Shared;

    public void Dispose()
    {
        // The hosts this test lost come back for the classes after it; Stop reaches every host still listed.
        foreach (var host in _fleet.Hosts.Append(_fleet.Spare).Where(host => !Answers(host)))
        {
            _fleet.BringBack(host);
        }

        _env.Write([.. _fleet.Hosts.Append(_fleet.Spare).Select(host => _env.Entry(host))]);
        _env.Dispose();
    }

    [Fact]
    public async Task Drift_reprovision_a_host_lost_mid_deployment_of_v2_and_refusals_across_three_hosts()
    {
        var (h1, h2, h3) = (_fleet.Hosts[0], _fleet.Hosts[1], _fleet.Hosts[2]);
        var (v1, v2) = (sample.V1, sample.V2);
        _env.Succeeds(_env.Deploy(v1), "Deploy v1");
        await _env.ServesAsync(v1, "blue", h1, h2, h3);

        // Shown 5: a file edited by hand on one host is drift, named by host and file.
        File.AppendAllText(Path.Combine(LiveFolder(h2), "app", "appsettings.json"), "\n");
        var drift = _env.Build("--target=Drift", $"--environment={_env.Name}");
        drift.ExitCode.ShouldBe(1, drift.All);
        OneLineError.LineOf(drift.Error).ShouldContain($"host root@{h2.Address} slot blue");
        drift.All.ShouldContain("app/appsettings.json");
        drift.Output.Split('\n').Where(line => line.Contains($"root@{h1.Address} slot blue", StringComparison.Ordinal)).ShouldHaveSingleItem().ShouldContain("no drift");

        // Phoenix: with h3 wiped clean too (everything killed, its folder deleted, a fresh sshd), one Reprovision of
        // every host rebuilds them from the ledger and the feed, and Drift finds nothing left.
        _fleet.Lose(h3);
        Directory.Delete(_env.HostPath(h3), recursive: true);
        _fleet.BringBack(h3);
        _env.Succeeds(_env.Build("--target=Reprovision", $"--environment={_env.Name}"), "Reprovision of every host");
        _env.Succeeds(_env.Build("--target=Drift", $"--environment={_env.Name}"), "Drift after Reprovision");
        Path.GetFileName(LiveFolder(h3)).ShouldContain(v1.Digest[..12]);
        await _env.ServesAsync(v1, "blue", h1, h2, h3);

        // Shown 4: a host lost mid-deployment of v2 while v1 is live fails it in one line naming the host; the others
        // keep serving v1 (through nginx and in their live slot), v2's slot stopped, and the ledger row is Failed.
        File.AppendAllText(Path.Combine(LiveFolder(h1), "app", "appsettings.json"), "\n");
        var upstream = _env.Upstream();
        var before = Entries(_env.HostPath(h3));
        var deploying = Task.Run(() => _env.Deploy(v2));
        while (!deploying.IsCompleted && Entries(_env.HostPath(h3)).SequenceEqual(before))
        {
            await Task.Delay(10);
        }

        _fleet.Lose(h3);
        var lost = await deploying;
        lost.ExitCode.ShouldNotBe(0);
        OneLineError.LineOf(lost.Error).ShouldContain($"Host root@{h3.Address} was lost");
        lost.Output.ShouldContain($"warning: {_env.Name} had drifted", Case.Sensitive, "the deploy onto a drifted host says so");
        _env.Upstream().ShouldBe(upstream, "nginx was not switched");
        await _env.ServesAsync(v1, "blue", h1, h2);
        foreach (var host in new[] { h1, h2 })
        {
            (await HostsEnvironment.AnswersAsync(_env.SlotUrl(host, "green"))).ShouldBeFalse($"slot green of {host.Address} (v2) was stopped");
        }

        var failed = DeploymentLedger.Open(Path.Combine(_env.Repo.StateDirectory, "ledger.db")).History(_env.Name)[0];
        (failed.Version, failed.Outcome).ShouldBe((v2.Version, DeploymentOutcome.Failed));
        failed.Details.ShouldNotBeNull().ShouldContain($"Host root@{h3.Address} was lost");

        // The spare takes the lost host's place in the file; one command rebuilds it with the live release (v1's digest).
        var spare = _fleet.Spare;
        _env.Write([_env.Entry(h1), _env.Entry(h2), _env.Entry(spare)]);
        _env.Succeeds(_env.Build("--target=Reprovision", $"--environment={_env.Name}", $"--host={spare.Address}"), "Reprovision of the spare");
        Path.GetFileName(LiveFolder(spare)).ShouldContain(v1.Digest[..12]);
        await _env.ServesAsync(v1, "blue", h1, h2, spare);
        _env.Upstream().ShouldBe([.. new[] { h1, h2, spare }.Select(host => $"{host.Address}:{_env.Port + 1}")]);

        // Shown 6 and 8: refusals in one line, nothing uploaded and nothing switched.
        var files = new[] { h1, h2, spare }.SelectMany(host => Entries(_env.HostPath(host))).ToList();
        upstream = _env.Upstream();
        Refused(v2, [h1, h2, h3], 1, $"Host root@{h3.Address} could not be reached");
        Refused(v2, [_env.Entry(h1), _env.Entry(h2, "deploy"), _env.Entry(spare)], 1, $"Host deploy@{h2.Address} refused the SSH key for user deploy");
        var duplicate = Refused(v2, [h1, h2, h1], 2, "environments.yml:");
        duplicate.ShouldContain($"'hosts[].address' {h1.Address} is listed twice");
        new[] { h1, h2, spare }.SelectMany(host => Entries(_env.HostPath(host))).ShouldBe(files, "nothing was uploaded to any host");
        _env.Upstream().ShouldBe(upstream, "nginx was not switched");
        await _env.ServesAsync(v1, "blue", h1, h2, spare);

        // Shown 8: the team's nginx directives that fail nginx -t: one line, the new slots stopped, and nginx's files
        // exactly as the running nginx serves them (the old configuration keeps serving).
        var config = File.ReadAllText(Path.Combine(_env.NginxFolder, "nginx.conf"));
        _env.Repo.Write("deploy/nginx-location.conf", "proxy_read_timeout not-a-time;\n");
        var refusedConfig = Refused(v2, [h1, h2, spare], 1, "nginx -t refused the new configuration", "{ kind: nginx, include: deploy/nginx-location.conf }");
        refusedConfig.ShouldContain("the old configuration keeps serving");
        File.ReadAllText(Path.Combine(_env.NginxFolder, "nginx.conf")).ShouldBe(config, "nginx.conf is as before");
        _env.Upstream().ShouldBe(upstream, "nginx's upstream is as before");
        File.Exists(Path.Combine(_env.NginxFolder, "location.conf")).ShouldBeFalse("the refused directives were not left beside nginx.conf");
        await _env.ServesAsync(v1, "blue", h1, h2, spare);
        foreach (var host in new[] { h1, h2, spare })
        {
            (await HostsEnvironment.AnswersAsync(_env.SlotUrl(host, "green"))).ShouldBeFalse($"slot green of {host.Address} was stopped");
        }

        // Shown 7: the key and the secret appear in no output, and in no file but the live slots' environment files.
        _env.KeyAndSecretOnlyInLiveEnvironmentFiles(_fleet.Hosts.Append(spare), "blue");
    }

    private string Refused(HostsRelease release, IEnumerable<FleetHost> hosts, int exitCode, string expected, string balancer = "{ kind: nginx }") =>
        Refused(release, hosts.Select(host => _env.Entry(host)), exitCode, expected, balancer);

    private string Refused(HostsRelease release, IEnumerable<string> entries, int exitCode, string expected, string balancer = "{ kind: nginx }")
    {
        _env.Write(entries, balancer: balancer);
        var result = _env.Deploy(release);
        result.ExitCode.ShouldBe(exitCode, result.All);
        var line = OneLineError.LineOf(result.Error);
        line.ShouldContain(expected);
        return line;
    }

    /// <summary>The release folder slot blue of <paramref name="host"/> was started with (the namespaces share this file system).</summary>
    private string LiveFolder(FleetHost host) => File.ReadAllText(Path.Combine(_env.HostPath(host), "slots", "blue", "release")).Trim();

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
}
