using Recipes.Deployment;
using Recipes.Deployment.Hosts;
using Recipes.Tests.Support;
using Recipes.Tests.Support.Fleet;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service (the Fleet collection's <see cref="HostsSample"/>) with one <c>target: hosts</c> environment of the
/// run's three SSH hosts (<see cref="Fleet"/>) behind nginx, through the real <c>./build.sh</c>: blue-green v1 -> v2
/// under load through nginx with the old slot warm for the grace period, Rollback, a changed host key refused with
/// nothing uploaded, the SSH key and a secret looked for everywhere they must not be; then a rolling v1 -> v2 that a
/// host fails (every host back on v1), rolling v1 -> v2 one host at a time and a canary of a broken v3 aborted, all
/// under load.
/// </summary>
[Trait("Category", "Slow")]
[Collection(FleetCollection.Name)]
public sealed class HostsDeploymentTests(HostsSample sample) : IDisposable
{
    private readonly HostsEnvironment _env = new(sample, "fleet");
    private readonly Fleet _fleet = Fleet.Shared;

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Across_three_hosts_blue_green_and_rolling_fail_no_request_a_host_failing_mid_rolling_puts_all_back_a_broken_canary_aborts_a_changed_host_key_is_refused_and_nothing_leaks()
    {
        var (v1, v2) = (sample.V1, sample.V2);
        _env.Succeeds(Deploy(v1), "Deploy v1");
        await _env.ServesAsync(v1, "blue", [.. _fleet.Hosts]);

        // Shown 1, with the old slot warm (out of nginx) for the grace period: it still answers while the deploy waits, and is gone after.
        _env.Write("{ kind: blue-green, grace-period: 8s }");
        await using (var load = LoadGenerator.Start(new LoadOptions { Url = _env.Public(), MaxDuration = TimeSpan.FromMinutes(3), MaxRequests = 1_000_000 }))
        {
            await Task.Delay(500); // some v1 answers before the deploy starts; v1 was checked to answer above
            var deployed = await _env.DeployWhileAsync(v2, "warm in slot blue", async () =>
            {
                foreach (var host in _fleet.Hosts)
                {
                    (await HostsEnvironment.VersionAsync(_env.SlotUrl(host, "blue"))).ShouldBe(v1.Version, $"slot blue of {host.Address} during the grace period");
                }
            });
            deployed.ExitCode.ShouldBe(0, deployed.All);
            var done = load.Elapsed;
            await Task.Delay(500); // answers to requests sent after the deploy ended, which must all be v2's
            var traffic = await load.FinishAsync(); // not cut short: on a loaded machine an answer may take longer than the wait

            traffic.Failed.ShouldBe(0, string.Join("; ", traffic.Requests.Where(r => r.Failed).Select(r => $"{r.StatusCode?.ToString() ?? r.Error} {r.Detail}")));
            traffic.VersionCounts.Keys.Select(HostsEnvironment.Plain).ShouldBe([v1.Version, v2.Version], ignoreOrder: true);
            traffic.VersionsAnsweringAfter(done).Select(HostsEnvironment.Plain).ShouldBe([v2.Version], "the deploy ended after nginx's switch");
        }

        foreach (var host in _fleet.Hosts)
        {
            (await HostsEnvironment.VersionAsync(_env.SlotUrl(host, "green"))).ShouldBe(v2.Version, $"slot green of {host.Address}");
            (await HostsEnvironment.AnswersAsync(_env.SlotUrl(host, "blue"))).ShouldBeFalse($"slot blue of {host.Address} stopped after the grace period");
        }

        _env.Write("{ kind: blue-green, grace-period: 0s }");
        _env.Succeeds(_env.Build("--target=Rollback", $"--environment={_env.Name}"), "Rollback");
        (await HostsEnvironment.VersionAsync(_env.Public().ToString())).ShouldBe(v1.Version);
        await A_new_slot_lost_on_one_host_during_the_grace_period_puts_every_host_back_on_the_warm_old_slot(v1, v2);

        // Shown 6: a host whose key is not the pinned one is refused before anything is sent to any host.
        var before = HostFiles();
        var lines = File.ReadAllLines(_env.KnownHosts);
        var other = Path.Combine(_env.Repo.Root, "other_host_key");
        ProcessRunner.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other], _env.Repo.Root, TimeSpan.FromSeconds(30)).ExitCode.ShouldBe(0);
        lines[1] = $"{_fleet.Hosts[1].Address} {File.ReadAllText(other + ".pub").Trim()}";
        File.WriteAllLines(_env.KnownHosts, lines);
        var refused = _env.Deploy(v2, "--force"); // v2 was rolled back: deployed again only on purpose
        refused.ExitCode.ShouldNotBe(0);
        OneLineError.LineOf(refused.Error).ShouldContain($"Host root@{_fleet.Hosts[1].Address} showed the host key ssh-ed25519 SHA256:");
        HostFiles().ShouldBe(before, "nothing was uploaded to any host");
        (await HostsEnvironment.VersionAsync(_env.Public().ToString())).ShouldBe(v1.Version);

        // Shown 7: the key and the secret are only where they belong: the key in its variable, the secret in the slot's environment file.
        _env.KeyAndSecretOnlyInLiveEnvironmentFiles(_fleet.Hosts, "blue").Count.ShouldBe(_fleet.Hosts.Count, "each host's live slot has the secret in its environment file");

        File.Copy(_fleet.KnownHosts, _env.KnownHosts, overwrite: true);
        await A_host_failing_mid_rolling_puts_every_host_back_on_v1_in_one_nginx_apply(v1, v2);
        await Rolling_v1_to_v2_one_host_at_a_time_keeps_two_hosts_serving_and_fails_no_request(v1, v2);
        await A_canary_of_a_broken_v3_across_the_fleet_aborts_and_no_request_after_the_abort_reaches_it(v2);
    }

    /// <summary>
    /// v2 over v1 with a grace period; while v1 is kept warm, v2's slot on the first host dies for good (its supervisor
    /// and app killed). The grace period's watch notices at its next look: nginx goes back to slot blue on every host,
    /// v2's slots stop, the deployment's row becomes RolledBack and the build says so in one line.
    /// </summary>
    private async Task A_new_slot_lost_on_one_host_during_the_grace_period_puts_every_host_back_on_the_warm_old_slot(HostsRelease v1, HostsRelease v2)
    {
        _env.Write("{ kind: blue-green, grace-period: 60s }");
        var lost = _fleet.Hosts[0];
        System.Diagnostics.Stopwatch? sinceKilled = null;
        var switchedBack = await _env.DeployWhileAsync(v2, "warm in slot blue", () =>
        {
            sinceKilled = System.Diagnostics.Stopwatch.StartNew();
            var slot = Path.Combine(_env.HostPath(lost), "slots", "green");
            // The supervisor first, so that nothing restarts the app.
            foreach (var pidFile in new[] { "supervisor.pid", "app.pid" })
            {
                ProcessRunner.Run("kill", ["-KILL", File.ReadAllText(Path.Combine(slot, pidFile)).Trim()], _env.Repo.Root, TimeSpan.FromSeconds(10)).ExitCode.ShouldBe(0, pidFile);
            }

            return Task.CompletedTask;
        }, "--force"); // v2 was rolled back: deployed again on purpose

        switchedBack.ExitCode.ShouldNotBe(0, switchedBack.All);
        sinceKilled.ShouldNotBeNull().Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), "the watch noticed before the grace period ended");
        switchedBack.All.ShouldContain($"{v2.Version} in slot green on root@{lost.Address} exited");
        switchedBack.All.ShouldContain($"during the grace period; switched back to {v1.Version} in slot blue on every host");
        _env.Upstream().ShouldBe([.. _fleet.Hosts.Select(host => $"{host.Address}:{_env.Port + 1}")], ignoreOrder: true);
        await _env.ServesAsync(v1, "blue", [.. _fleet.Hosts]);
        foreach (var host in _fleet.Hosts)
        {
            (await HostsEnvironment.AnswersAsync(_env.SlotUrl(host, "green"))).ShouldBeFalse($"slot green of {host.Address} was stopped");
        }

        var row = DeploymentLedger.Open(Path.Combine(_env.Repo.StateDirectory, "ledger.db")).History(_env.Name)[0];
        (row.Version, row.Outcome).ShouldBe((v2.Version, DeploymentOutcome.RolledBack));
        _env.Write("{ kind: blue-green, grace-period: 0s }");
    }

    /// <summary>
    /// Rolling v2 with batch 1 while another program holds the third host's idle-slot port: v2 starts on the first two
    /// hosts and serves there, exits on the third; the deployment fails in one line naming that host, every host is
    /// back on slot blue (v1) in one nginx apply, no request fails, and the ledger row is Failed.
    /// </summary>
    private async Task A_host_failing_mid_rolling_puts_every_host_back_on_v1_in_one_nginx_apply(HostsRelease v1, HostsRelease v2)
    {
        _env.Write("{ kind: rolling, batch: 1, pause: 1s }");
        var failing = _fleet.Hosts[2];
        var history = Path.Combine(_env.NginxFolder, "upstream.history");
        var before = File.ReadAllLines(history).Length;
        ProcessResult failed;
        using (_fleet.Occupy(failing, _env.Port + 2))
        {
            await using var load = LoadGenerator.Start(new LoadOptions { Url = _env.Public(), MaxDuration = TimeSpan.FromMinutes(3), MaxRequests = 1_000_000 });
            await Task.Delay(500);
            failed = _env.Deploy(v2, "--force"); // v2 was rolled back: deployed again on purpose
            await Task.Delay(500);
            var traffic = await load.FinishAsync();
            traffic.Failed.ShouldBe(0, string.Join("; ", traffic.Requests.Where(r => r.Failed).Select(r => $"{r.StatusCode?.ToString() ?? r.Error} {r.Detail}")));
            traffic.VersionCounts.Keys.Select(HostsEnvironment.Plain).ShouldBe([v1.Version, v2.Version], ignoreOrder: true, "the first two hosts served v2 before the third failed");
        }

        failed.ExitCode.ShouldNotBe(0, failed.All);
        OneLineError.LineOf(failed.Error).ShouldContain($"Host root@{failing.Address}: slot green exited");
        var row = DeploymentLedger.Open(Path.Combine(_env.Repo.StateDirectory, "ledger.db")).History(_env.Name)[0];
        (row.Version, row.Outcome).ShouldBe((v2.Version, DeploymentOutcome.Failed));

        var upstreams = File.ReadAllLines(history)[before..];
        upstreams[^2].Split(' ').ShouldBe([.. _fleet.Hosts.Take(2).Select(host => $"{host.Address}:{_env.Port + 2}*1")], ignoreOrder: true, "the third host drained, the first two on v2");
        upstreams[^1].Split(' ').ShouldBe([.. _fleet.Hosts.Select(host => $"{host.Address}:{_env.Port + 1}*1")], ignoreOrder: true, "every host back on slot blue at once");
        await _env.ServesAsync(v1, "blue", [.. _fleet.Hosts]);
        foreach (var host in _fleet.Hosts)
        {
            (await HostsEnvironment.AnswersAsync(_env.SlotUrl(host, "green"))).ShouldBeFalse($"slot green of {host.Address} was stopped");
        }
    }

    /// <summary>Shown 2: batch 1 over three hosts; every upstream nginx had during the deployment lists at least two hosts.</summary>
    private async Task Rolling_v1_to_v2_one_host_at_a_time_keeps_two_hosts_serving_and_fails_no_request(HostsRelease v1, HostsRelease v2)
    {
        var history = Path.Combine(_env.NginxFolder, "upstream.history");
        var before = File.ReadAllLines(history).Length;
        await using var load = LoadGenerator.Start(new LoadOptions { Url = _env.Public(), MaxDuration = TimeSpan.FromMinutes(3), MaxRequests = 1_000_000 });
        await Task.Delay(500);
        _env.Succeeds(_env.Deploy(v2, "--force"), "Rolling deploy of v2 after the failed one");
        var done = load.Elapsed;
        await Task.Delay(500);
        var traffic = await load.FinishAsync();

        traffic.Failed.ShouldBe(0, string.Join("; ", traffic.Requests.Where(r => r.Failed).Select(r => $"{r.StatusCode?.ToString() ?? r.Error} {r.Detail}")));
        traffic.VersionCounts.Keys.Select(HostsEnvironment.Plain).ShouldBe([v1.Version, v2.Version], ignoreOrder: true);
        traffic.VersionsAnsweringAfter(done).Select(HostsEnvironment.Plain).ShouldBe([v2.Version]);
        var upstreams = File.ReadAllLines(history)[before..];
        upstreams.Length.ShouldBe(2 * _fleet.Hosts.Count, "each host drained, then put back");
        foreach (var upstream in upstreams)
        {
            upstream.Split(' ').Select(server => server.Split(':')[0]).Distinct().Count().ShouldBeGreaterThanOrEqualTo(2, upstream);
        }

        upstreams[^1].Split(' ').ShouldBe([.. _fleet.Hosts.Select(host => $"{host.Address}:{_env.Port + 2}*1")], ignoreOrder: true);
        foreach (var host in _fleet.Hosts)
        {
            (await HostsEnvironment.AnswersAsync(_env.SlotUrl(host, "blue"))).ShouldBeFalse($"slot blue of {host.Address} stopped once every host served v2");
        }
    }

    /// <summary>Shown 3: v3 answers every second /version with 500; the analysis of nginx's log aborts it on every host.</summary>
    private async Task A_canary_of_a_broken_v3_across_the_fleet_aborts_and_no_request_after_the_abort_reaches_it(HostsRelease v2)
    {
        _env.Write("{ kind: canary, steps: [30, 100], pause: 3s, max-error-rate: 0.05, min-requests: 10 }");
        var v3 = sample.V3;
        var accessLog = Path.Combine(_env.NginxFolder, "access.log");
        var canaryPort = $":{_env.Port + 1}"; // v2 serves from green after the rolling deployment, so the canary starts in blue

        ProcessResult canary;
        await using (var load = LoadGenerator.Start(new LoadOptions { Url = _env.Public(), MaxDuration = TimeSpan.FromMinutes(3), MaxRequests = 1_000_000 }))
        {
            canary = _env.Deploy(v3);
            var during = await load.StopAsync();
            during.VersionCounts.Keys.Select(HostsEnvironment.Plain).ShouldContain(v3.Version, "the canary took a share of the traffic before it was aborted");
        }

        canary.ExitCode.ShouldNotBe(0, canary.All);
        OneLineError.LineOf(canary.Error).ShouldContain("5xx rate above the limit");
        _env.Build("--target=History", $"--environment={_env.Name}").Output.Split('\n').First(line => line.Contains(v3.Version, StringComparison.Ordinal)).ShouldContain("Failed");

        // Every request after the aborted Deploy ended: v2's, and nginx sent none to the canary's port on any host.
        var offset = new FileInfo(accessLog).Length;
        await using var after = LoadGenerator.Start(new LoadOptions { Url = _env.Public(), MaxDuration = TimeSpan.FromMinutes(1), MaxRequests = 200 });
        var traffic = await after.Completion;
        traffic.Total.ShouldBe(200);
        traffic.Failed.ShouldBe(0);
        traffic.VersionCounts.Keys.Select(HostsEnvironment.Plain).ShouldBe([v2.Version]);
        var logged = NginxAccessLog.ReadSince(accessLog, offset);
        logged.Count.ShouldBeGreaterThanOrEqualTo(200);
        logged.ShouldAllBe(answer => !answer.Server.EndsWith(canaryPort, StringComparison.Ordinal));
    }

    private ProcessResult Deploy(HostsRelease release) => _env.Deploy(release);

    /// <summary>Every file and folder under the hosts' deploy folders of this test.</summary>
    private string[] HostFiles() =>
        [.. _fleet.Hosts.SelectMany(host => Directory.GetFileSystemEntries(_env.HostPath(host), "*", SearchOption.AllDirectories)).Order(StringComparer.Ordinal)];
}
