using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Pipeline;
using Recipes.Pipeline.Tasks;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>
/// What a first deployment leaves behind when it fails and records when it succeeds, the app's environment name from
/// the environment's config, and a rollback that reports its switch and lets the undone release finish its requests.
/// </summary>
[Trait("Category", "Slow")]
public sealed class FirstDeploymentAndRollbackTests(TestAppFeedFixture feed) : IClassFixture<TestAppFeedFixture>, IAsyncLifetime
{
    private readonly LocalDeploymentHarness _harness = new(feed);

    [Fact]
    public async Task A_first_deployment_that_never_gets_healthy_leaves_the_public_port_closed_and_nothing_live()
    {
        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero), e => e with { Health = e.Health with { Timeout = TimeSpan.FromSeconds(4) } });

        await Should.ThrowAsync<ReleaseUnhealthyException>(() => _harness.DeployAsync(dev, "4.0.0"));

        using (var client = new TcpClient())
        {
            var refused = await Should.ThrowAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, dev.Port));
            refused.SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
        }

        var status = await _harness.Deployment().StatusAsync(dev, CancellationToken.None);
        status.RouterPid.ShouldBeNull();
        status.Live.ShouldBeNull();
        status.Slots.ShouldNotContain(slot => slot.State == SlotState.Running);
        Status.StatusLines(status).First().ShouldStartWith($"dev: nothing deployed; router stopped (port {dev.Port})");
        var row = _harness.Ledger.History("dev").ShouldHaveSingleItem();
        row.Outcome.ShouldBe(DeploymentOutcome.Failed);
        row.Details!.ShouldContain($"nothing was live in dev and nothing is: 4.0.0 stopped, port {dev.Port} left closed");
    }

    [Fact]
    public async Task A_first_promote_to_a_canary_environment_is_recorded_as_a_first_deployment_without_a_canary()
    {
        var production = _harness.Environment("production", new CanaryStrategy([10, 100], TimeSpan.FromSeconds(30), 0.05, 1.5));

        await _harness.Deployment().DeployAsync(
            new DeploymentRequest(production, feed.Feed, "1.0.0", feed.Packages["1.0.0"].Sha512, "abc", DeploymentKind.Promote, "test"), CancellationToken.None);

        var row = _harness.Ledger.History("production").ShouldHaveSingleItem();
        (row.Kind, row.Strategy, row.Outcome).ShouldBe((DeploymentKind.Promote, Rollouts.FirstDeployment, DeploymentOutcome.Succeeded));
        row.Details!.ShouldContain("first deployment of production: nothing is live to compare the canary with, so no canary");
        var shown = HistoryTable.Lines("production", [row])[1];
        shown.ShouldContain("  first  ");
        shown.ShouldContain("so no canary");
    }

    [Fact]
    public async Task An_environment_whose_config_says_Development_runs_the_app_as_Development_and_others_as_Production()
    {
        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero), e => e with { Config = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" } });
        var test = _harness.Environment("test", new BlueGreenStrategy(TimeSpan.Zero), e => e with { Config = new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Testing" } });
        var staging = _harness.Environment("staging", new BlueGreenStrategy(TimeSpan.Zero));
        await _harness.DeployAsync(dev, "1.0.0");
        await _harness.DeployAsync(test, "1.0.0");
        await _harness.DeployAsync(staging, "1.0.0");

        (await GetAsync(dev, "/environment")).ShouldBe("Development");
        (await GetAsync(test, "/environment")).ShouldBe("Testing");
        (await GetAsync(staging, "/environment")).ShouldBe("Production");
    }

    [Fact]
    public async Task Rollback_reports_its_switch_and_keeps_the_undone_release_running_for_the_grace_period_so_its_requests_in_flight_finish()
    {
        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.FromSeconds(5)));
        await _harness.DeployAsync(dev, "1.0.0");
        var deploying = _harness.DeployAsync(dev, "2.0.0");
        await UntilAsync(() => _harness.Ledger.Live("dev")?.Version == "2.0.0", deploying);

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
        using var slow = await http.GetAsync(new Uri($"http://127.0.0.1:{dev.Port}/slow?ms=2500"), HttpCompletionOption.ResponseHeadersRead);
        slow.Headers.GetValues("X-App-Version").ShouldBe(["2.0.0"]);
        var rollingBack = _harness.Deployment().RollbackAsync(dev, feed.Feed, "test", CancellationToken.None);
        await UntilAsync(() => _harness.Ledger.History("dev")[0] is { Kind: DeploymentKind.Rollback, Outcome: DeploymentOutcome.Succeeded }, rollingBack);

        // Switched and recorded, and the undone release still runs: the grace period has begun.
        (await GetAsync(dev, "/version")).ShouldBe("1.0.0");
        _harness.Slots(dev).Single(slot => slot.Process.Slot == Rollout.Green).State.ShouldBe(SlotState.Running);
        var result = await rollingBack;
        (await slow.Content.ReadAsStringAsync()).ShouldBe("answered after 2500 ms");
        await deploying;

        result.SwitchTime.ShouldNotBeNull();
        result.Details.ShouldContain("switched dev from green (2.0.0) to blue (1.0.0) in ");
        _harness.Log.ShouldContain(line => line.StartsWith("switched dev from green (2.0.0) to blue (1.0.0) in ", StringComparison.Ordinal));
        _harness.Log.ShouldContain(line => line.StartsWith("Keeping 2.0.0 warm in slot green for 5 s, so that its requests in flight finish", StringComparison.Ordinal));
        // After the grace period the undone release is stopped.
        _harness.RunningSlot(dev).Release.Version.ShouldBe("1.0.0");
    }

    [Fact]
    public async Task Without_a_grace_period_the_old_release_is_stopped_only_once_the_requests_on_their_way_to_it_are_answered()
    {
        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await _harness.DeployAsync(dev, "1.0.0");

        // A request 1.0.0 is still answering when the traffic moves to 2.0.0, about when 2.0.0 is healthy (sent
        // before the deployment starts, answered 8 s later); 1.0.0 gives it up when it is told to stop.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
        var slow = http.GetAsync(new Uri($"http://127.0.0.1:{dev.Port}/slow?ms=8000"));
        await _harness.DeployAsync(dev, "2.0.0");

        using var answered = await slow;
        (await answered.Content.ReadAsStringAsync()).ShouldBe("answered after 8000 ms", $"the router drains 1.0.0 before it is stopped (answered {(int)answered.StatusCode})");
        answered.Headers.GetValues("X-App-Version").ShouldBe(["1.0.0"]);
        (await GetAsync(dev, "/version")).ShouldBe("2.0.0");
        _harness.RunningSlot(dev).Release.Version.ShouldBe("2.0.0");
    }

    [Fact]
    public async Task Deploying_a_rolled_back_version_again_exits_2_without_force_and_deploys_it_with_force()
    {
        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await _harness.DeployAsync(dev, "1.0.0");
        await _harness.DeployAsync(dev, "2.0.0");
        await _harness.Deployment().RollbackAsync(dev, feed.Feed, "carol", CancellationToken.None);
        using var repository = new TempDirectory("recipes-rolled-back");
        File.WriteAllText(repository.Combine("environments.yml"), $$"""
            environments:
              - name: dev
                artifact: {{TestAppFeedFixture.Id}}
                port: {{dev.Port}}
                strategy: { kind: blue-green, grace-period: 0s }
            """);
        string[] deploy = [
            "--target=Deploy", "--environment=dev", "--deploy-version=2.0.0", $"--feed={feed.FeedFolder}", $"--environments-file={repository.Combine("environments.yml")}",
            $"--state-directory={_harness.StateDirectory}", $"--artifacts={repository.Combine("artifacts")}"];

        var refused = new HostHarness();
        refused.Host.UseRecipe();
        refused.Run(deploy).ShouldBe(2, refused.Error);

        refused.Error.ShouldContain($"{TestAppFeedFixture.Id} 2.0.0 was rolled back in dev on ");
        refused.Error.ShouldContain("by carol, back to 1.0.0 (ledger #3); deploy it again only on purpose, with --force.");
        _harness.Ledger.History("dev").Count.ShouldBe(3, "nothing was recorded");
        (await GetAsync(dev, "/version")).ShouldBe("1.0.0");

        var forced = new HostHarness();
        forced.Host.UseRecipe();
        forced.Run([.. deploy, "--force"]).ShouldBe(0, forced.Error + forced.Output);

        (await GetAsync(dev, "/version")).ShouldBe("2.0.0");
        _harness.Ledger.Live("dev")!.Version.ShouldBe("2.0.0");
    }

    private static async Task<string> GetAsync(DeploymentEnvironment environment, string path)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{environment.Port}{path}"));
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing when <paramref name="running"/> ends first or after a minute.</summary>
    private static async Task UntilAsync(Func<bool> condition, Task running)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (running.IsCompleted)
            {
                await running;
                throw new InvalidOperationException("The deployment ended before the condition held.");
            }

            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(1));
            await Task.Delay(50);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();
}
