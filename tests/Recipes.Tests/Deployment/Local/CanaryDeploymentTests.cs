using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>
/// Canary deployments with the real router and release processes but no user traffic: no data is not a pass, unless
/// the environment sends its own probes to the canary.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CanaryDeploymentTests(TestAppFeedFixture feed, ITestOutputHelper output) : IClassFixture<TestAppFeedFixture>, IAsyncLifetime
{
    private readonly TempDirectory _state = new("recipes-canary-deployment");
    private readonly List<string> _log = [];
    private readonly List<DeploymentEnvironment> _environments = [];

    private DeploymentLedger Ledger => DeploymentLedger.Open(Path.Combine(_state.Path, "ledger.db"));

    private LocalDeployment Deployment() => new(_state.Path, Ledger, TimeSpan.FromSeconds(30), Log)
    {
        ProgressInterval = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task A_canary_that_no_request_reached_fails_as_inconclusive_and_the_stable_release_keeps_all_traffic()
    {
        var dev = Environment(new CanaryStrategy([50, 100], TimeSpan.FromSeconds(2), 0.05, 10));
        await DeployAsync(dev, "1.0.0");

        var failure = await Should.ThrowAsync<RolloutFailedException>(() => DeployAsync(dev, "2.0.0"));

        failure.Message.ShouldStartWith("inconclusive: 0 of 50 requests reached the canary at 50% in 2 s");
        failure.Message.ShouldContain("dev stays on 1.0.0");
        var newest = Ledger.History("dev")[0];
        (newest.Version, newest.Outcome).ShouldBe(("2.0.0", DeploymentOutcome.Failed));
        newest.Details!.ShouldStartWith("inconclusive: 0 of 50 requests reached the canary at 50%");
        Ledger.Live("dev")!.Version.ShouldBe("1.0.0");
        (await VersionsAsync(dev, 100)).ShouldBe(["1.0.0"]);
        RunningVersions(dev).ShouldBe(["1.0.0"]);
        _log.ShouldContain(line => line.StartsWith("canary at 50%: ", StringComparison.Ordinal) && line.Contains(" of 2 s; canary 0 request(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_canary_with_probes_and_no_user_traffic_is_judged_on_the_probes_and_completes()
    {
        var dev = Environment(new CanaryStrategy([20, 100], TimeSpan.FromSeconds(3), 0.05, 10) { Probe = new CanaryProbe(null, 50) });
        await DeployAsync(dev, "1.0.0");

        var result = await DeployAsync(dev, "2.0.0");

        result.Details.ShouldContain("canary complete: all traffic to 2.0.0");
        var probed = Regex.Match(result.Details, @"canary at 20%: (\d+) probe request\(s\) sent to the canary through the router, 0 not answered 2xx or 3xx");
        probed.Success.ShouldBeTrue(result.Details);
        var judged = Regex.Match(result.Details, @"canary at 20%: (\d+) request\(s\), 0\.0 ?% 5xx");
        judged.Success.ShouldBeTrue(result.Details);
        int.Parse(judged.Groups[1].Value).ShouldBeGreaterThanOrEqualTo(50);
        output.WriteLine($"probes sent {probed.Groups[1].Value}, canary requests measured by the router {judged.Groups[1].Value}");
        (await VersionsAsync(dev, 20)).ShouldBe(["2.0.0"]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var environment in _environments)
        {
            await Deployment().StopAsync(environment, CancellationToken.None);
        }

        _state.Dispose();
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }

        output.WriteLine(line);
    }

    private DeploymentEnvironment Environment(DeploymentStrategy strategy)
    {
        var environment = new DeploymentEnvironment(
            "dev", DeploymentEnvironment.LocalTarget, TestAppFeedFixture.Id, PublicPorts.Next(), strategy,
            HealthCheck.Default with { Timeout = TimeSpan.FromSeconds(30) }, [new SmokeCheck("/version", 200)], false,
            new Dictionary<string, FeatureToggle>(), new Dictionary<string, string>(), new Dictionary<string, SecretReference>(), 1);
        _environments.Add(environment);
        return environment;
    }

    private Task<DeploymentResult> DeployAsync(DeploymentEnvironment environment, string version) =>
        Deployment().DeployAsync(
            new DeploymentRequest(environment, feed.Feed, version, feed.Packages[version].Sha512, "abc", DeploymentKind.Deploy, "test"), CancellationToken.None);

    private IReadOnlyList<string> RunningVersions(DeploymentEnvironment environment) =>
        [.. new ProcessSupervisor(Path.Combine(_state.Path, "slots")).Status(environment.Name).Where(s => s.State == SlotState.Running).Select(s => s.Process.Release.Version)];

    private static async Task<IReadOnlyList<string>> VersionsAsync(DeploymentEnvironment environment, int requests)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var versions = new HashSet<string>();
        for (var i = 0; i < requests; i++)
        {
            versions.Add(await http.GetStringAsync($"http://127.0.0.1:{environment.Port}/version"));
        }

        return [.. versions];
    }
}
