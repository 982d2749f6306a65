using Docker.DotNet.Models;
using Recipes.Deployment;
using Recipes.Deployment.Docker;
using Recipes.Deployment.Toggles;
using Recipes.Feeds;
using Recipes.Tests.EndToEnd;
using Recipes.Tests.Support;
using SecretReference = Recipes.Deployment.SecretReference;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>
/// <c>target: docker</c> through the target-neutral deployer, on the run's engine and registry, with images of
/// Recipes.TestApp pushed by the test: the shared strategies and router switch containers as they switch processes.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DockerTargetTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TempDirectory _state = new("recipes-docker-target");
    private readonly List<string> _log = [];
    private readonly string _repository = $"{DockerTestEngine.Registry}/testapp-{Guid.NewGuid():N}"[..48];

    public void Dispose()
    {
        // Stop the environment's containers and router whatever the test did.
        Deployer().StopAsync(Environment(new BlueGreenStrategy(TimeSpan.Zero), 1), None).GetAwaiter().GetResult();
        _state.Dispose();
    }

    private DeploymentLedger Ledger => DeploymentLedger.Open(_state.Combine("ledger.db"));

    private int Port { get; } = PublicPorts.Next();

    [Fact]
    public async Task Blue_green_v1_to_v2_under_load_fails_no_request_serves_only_v2_after_the_switch_and_rolls_back_to_v1s_digest_with_the_secret_only_in_the_container()
    {
        using var client = DockerTestEngine.Client();
        var v1 = await TestAppImage.PushAsync(client, _repository, "1.0.0");
        var v2 = await TestAppImage.PushAsync(client, _repository, "2.0.0");
        const string secret = "docker-target-secret-81723";
        var secretVariable = $"RECIPES_TEST_SECRET_{Guid.NewGuid():N}";
        System.Environment.SetEnvironmentVariable(secretVariable, secret);
        var dev = Environment(new BlueGreenStrategy(TimeSpan.FromSeconds(1)), secrets: new Dictionary<string, SecretReference> { ["RECIPES_TESTAPP_SECRET"] = new(secretVariable) });
        await Deployer().DeployAsync(Request(dev, "1.0.0", v1), None);

        await using var load = LoadGenerator.Start(new LoadOptions { Url = new Uri($"http://127.0.0.1:{Port}/version"), MaxDuration = TimeSpan.FromSeconds(120), MaxRequests = 50_000 });
        var result = await Deployer().DeployAsync(Request(dev, "2.0.0", v2), None);
        var switched = load.Elapsed;
        await Task.Delay(1000);
        var traffic = await load.StopAsync();

        traffic.Failed.ShouldBe(0);
        traffic.VersionsAnsweringAfter(switched).ShouldBe(["2.0.0"]);
        result.SwitchTime.ShouldNotBeNull();
        using var http = new HttpClient();
        (await http.GetStringAsync($"http://127.0.0.1:{Port}/secret")).ShouldBe("present");

        await Deployer().RollbackAsync(dev, new FolderFeed(_state.Combine("feed")), "test", None);

        Ledger.Live("dev").ShouldNotBeNull().Digest.ShouldBe(v1);
        (await http.GetStringAsync($"http://127.0.0.1:{Port}/version")).ShouldBe("1.0.0");
        var running = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Environment}=dev"] = true } },
        });
        var live = running.Single(container => container.Labels[ContainerLabels.Digest] == v1);
        (await client.Containers.InspectContainerAsync(live.ID)).Config.Env.ShouldContain($"RECIPES_TESTAPP_SECRET={secret}");
        foreach (var digest in new[] { v1, v2 })
        {
            (await client.Images.InspectImageAsync($"{_repository}@{digest}")).Config.Env.ShouldNotContain(variable => variable.Contains(secret));
            (await client.Images.GetImageHistoryAsync($"{_repository}@{digest}")).ShouldNotContain(layer => layer.CreatedBy.Contains(secret));
        }

        _log.ShouldNotContain(line => line.Contains(secret));
        Ledger.History("dev").ShouldNotContain(row => (row.Details ?? "").Contains(secret));
    }

    [Fact]
    public async Task A_killed_live_container_is_noticed_by_Status_and_replaced_from_the_same_digest()
    {
        using var client = DockerTestEngine.Client();
        var v1 = await TestAppImage.PushAsync(client, _repository, "1.0.0");
        var dev = Environment(new BlueGreenStrategy(TimeSpan.Zero));
        await Deployer().DeployAsync(Request(dev, "1.0.0", v1), None);
        var killed = (await Containers(client)).ShouldHaveSingleItem();

        await client.Containers.KillContainerAsync(killed.ID, new ContainerKillParameters { Signal = "KILL" });
        await client.Containers.WaitContainerAsync(killed.ID);
        var status = await Deployer().StatusAsync(dev, None);

        status.Target.Releases.ShouldHaveSingleItem().Health.ShouldStartWith("running and healthy, replaced container");
        var replacement = (await Containers(client)).ShouldHaveSingleItem();
        replacement.ID.ShouldNotBe(killed.ID);
        replacement.Labels[ContainerLabels.Digest].ShouldBe(v1);
        _log.ShouldContain(line => line.Contains("died with exit code 137; replacing it from"));
        // Status returns once the replacement passed its health check: the very next request is answered.
        using (var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            (await http.GetStringAsync($"http://127.0.0.1:{Port}/version")).ShouldBe("1.0.0");
        }


        await Deployer().StopAsync(dev, None);

        (await Containers(client)).ShouldBeEmpty("Stop removes the environment's containers");
    }

    [Fact]
    public async Task A_canary_of_a_broken_v3_is_aborted_and_no_request_after_the_abort_reaches_it()
    {
        using var client = DockerTestEngine.Client();
        var v1 = await TestAppImage.PushAsync(client, _repository, "1.0.0");
        var v3 = await TestAppImage.PushAsync(client, _repository, "3.0.0", "FailEvery=2");
        // Pauses long enough for the step's minimum of requests on a busy machine: the test is about the 5xx verdict.
        var dev = Environment(new CanaryStrategy([20, 50, 100], TimeSpan.FromSeconds(5), 0.05, 10));
        await Deployer().DeployAsync(Request(dev, "1.0.0", v1), None);

        await using var load = LoadGenerator.Start(new LoadOptions { Url = new Uri($"http://127.0.0.1:{Port}/version"), MaxDuration = TimeSpan.FromSeconds(120), MaxRequests = 50_000 });
        var failure = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request(dev, "3.0.0", v3), None));
        var aborted = load.Elapsed;
        await Task.Delay(1000);
        var traffic = await load.StopAsync();

        failure.Message.ShouldContain("5xx rate above the limit");
        traffic.VersionCounts.ShouldContainKey("3.0.0");
        traffic.VersionsAnsweringAfter(aborted).ShouldBe(["1.0.0"]);
        Ledger.Live("dev").ShouldNotBeNull().Digest.ShouldBe(v1);
        (await Containers(client)).Select(container => container.Labels[ContainerLabels.Digest]).ShouldBe([v1]);
    }

    [Fact]
    public async Task An_image_re_tagged_with_other_content_is_refused_with_one_line_and_nothing_starts()
    {
        using var client = DockerTestEngine.Client();
        var pushed = await TinyImage.PushAsync(client, _repository, "1.0.0", "first");
        var again = await TinyImage.PushAsync(client, _repository, "1.0.0", "second");
        var dev = Environment(new BlueGreenStrategy(TimeSpan.Zero));

        var refusal = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request(dev, "1.0.0", pushed), None));

        again.ShouldNotBe(pushed);
        refusal.Message.ShouldContain("refusing to deploy");
        refusal.Message.ShouldContain($"{_repository}:1.0.0");
        refusal.Message.ShouldNotContain("\n");
        (await Containers(client)).ShouldBeEmpty();
    }

    private static async Task<IList<ContainerListResponse>> Containers(global::Docker.DotNet.DockerClient client) =>
        await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Environment}=dev"] = true } },
        });

    private Deployer Deployer() => new(
        () => Ledger,
        TimeSpan.FromSeconds(30),
        new DeploymentTargets([DockerTarget.Registration with { Create = services => DockerTarget.Create(services, DockerTestEngine.Endpoint) }]),
        new TargetServices(_state.Path, line => { lock (_log) { _log.Add(line); } }, null));

    private static DeploymentRequest Request(DeploymentEnvironment environment, string version, string digest) =>
        new(environment, new FolderFeed(Path.GetTempPath()), version, digest, "abc1234", DeploymentKind.Deploy, "test");

    private DeploymentEnvironment Environment(DeploymentStrategy strategy, int line = 1, IReadOnlyDictionary<string, SecretReference>? secrets = null) =>
        new("dev", DockerTarget.Name, "Recipes.TestApp", Port, strategy, HealthCheck.Default with { Timeout = TimeSpan.FromSeconds(60) }, [], false,
            new Dictionary<string, FeatureToggle>(), new Dictionary<string, string>(), secrets ?? new Dictionary<string, SecretReference>(), line)
        {
            TargetSettings = new DockerSettings(_repository),
        };
}
