using Recipes.Artifacts;
using Recipes.Tests.Support.Docker;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service with one <c>target: docker</c> environment, through the real <c>./build.sh</c> on the run's engine
/// and registry (<see cref="DockerWorld"/>): CommitStage v1 pushes the image the manifest pins, Deploy v1, CommitStage
/// v2, blue-green to v2 under load (v2 reads what v1 wrote to the data folder), Rollback to v1's digest, a killed live
/// container replaced by Status (healthy when it returns), the secret only in the container's environment, a canary of a broken v3 aborted, and a re-tagged image refused.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DockerDeploymentTests : IDisposable
{
    private const string Environment = "boxed";
    private readonly DockerWorld _world = DockerWorld.Shared;
    private readonly SampleRepository _repo = new("service");
    private readonly string _registryPath = $"e2e-{Guid.NewGuid():N}"[..20];
    private readonly int _port = PublicPorts.Next();
    private readonly string _secret = $"s3cret-{Guid.NewGuid():N}";

    public DockerDeploymentTests()
    {
        foreach (var (name, value) in _world.Environment)
        {
            _repo.Environment[name] = value;
        }

        _repo.Environment["SHOP_API_KEY"] = _secret;

        WriteEnvironment("{ kind: blue-green, grace-period: 1s }");
        _repo.Commit("One docker environment");
    }

    private void WriteEnvironment(string strategy) =>
        _repo.Write("environments.yml", $$"""
            environments:
              - name: {{Environment}}
                artifact: Acme.Shop.Api
                target: docker
                repository: {{_world.Registry}}/{{_registryPath}}/acme.shop.api
                port: {{_port}}
                strategy: {{strategy}}
                health: { path: /health, timeout: 60s }
                smoke: [ { path: /version } ]
                features: { LoudGreeting: false }
                secrets: { Shop__ApiKey: { from-env: SHOP_API_KEY } }
            """);

    public void Dispose()
    {
        _repo.Build("--target=Stop");
        _repo.Dispose();
    }

    [Fact]
    public async Task Blue_green_keeps_the_data_folder_fails_no_request_rolls_back_by_digest_replaces_a_killed_container_aborts_a_broken_canary_and_refuses_a_re_tagged_image()
    {
        var v1 = await CommitStageAsync("v1");
        Deployed(v1);
        (await VersionAsync()).ShouldBe(v1.Version);
        LiveDigests().ShouldBe([v1.Image.Digest]);
        _world.DockerOrFail("image", "inspect", "--format", "{{.Config.User}}", v1.Image.PinnedReference).ShouldBe("1654", "SDK images run as the base image's APP_UID, as on Microsoft's images");
        var visitsOfV1 = await VisitAsync();

        _repo.Commit("A second release");
        var v2 = await CommitStageAsync("v2");
        v2.Image.Digest.ShouldNotBe(v1.Image.Digest);

        await using var load = LoadGenerator.Start(new LoadOptions
        {
            Url = new Uri($"http://127.0.0.1:{_port}/version"), MaxDuration = TimeSpan.FromMinutes(3), MaxRequests = 1_000_000,
        });
        await Task.Delay(500); // some v1 answers before the deploy starts; v1 was checked to answer above
        var deploy = Deploy(v2);
        var done = load.Elapsed;
        var traffic = await load.StopAsync();

        deploy.ExitCode.ShouldBe(0, deploy.All);
        traffic.Failed.ShouldBe(0);
        traffic.VersionCounts.Keys.Select(Plain).ShouldBe([v1.Version, v2.Version], ignoreOrder: true);
        // The switch came before the 1 s grace period that ended the deploy: from then on only v2 answered.
        traffic.VersionsAnsweringAfter(done - TimeSpan.FromSeconds(1)).Select(Plain).ShouldBe([v2.Version]);
        LiveDigests().ShouldBe([v2.Image.Digest]);
        (await VisitsAsync()).ShouldBeGreaterThanOrEqualTo(visitsOfV1, "v2 reads the count v1 wrote to the data folder");
        TheSecretIsOnlyInTheContainersEnvironment(v2, deploy);

        var rollback = _repo.Build("--target=Rollback", $"--environment={Environment}");
        rollback.ExitCode.ShouldBe(0, rollback.All);
        (await VersionAsync()).ShouldBe(v1.Version);
        LiveDigests().ShouldBe([v1.Image.Digest], "Rollback starts v1's image by its digest");

        var live = _world.DockerOrFail("ps", "-q", "--filter", $"label=recipes.environment={Environment}").Trim();
        _world.DockerOrFail("kill", live);
        var status = _repo.Build("--target=Status", $"--environment={Environment}");

        status.ExitCode.ShouldBe(0, status.All);
        status.All.ShouldContain("running and healthy, replaced container");
        _world.DockerOrFail("ps", "-q", "--filter", $"label=recipes.environment={Environment}").Trim().ShouldNotBe(live);
        LiveDigests().ShouldBe([v1.Image.Digest], "the replacement runs the same digest, nothing rebuilt");
        // Status returns once the replacement passed its health check: the very next request is answered.
        (await VersionAsync()).ShouldBe(v1.Version);

        await A_canary_of_a_broken_v3_aborts_and_no_request_after_the_abort_reaches_it(v1);
        await An_image_re_tagged_in_the_registry_is_refused_at_deploy_and_nothing_starts(v1);
    }

    /// <summary>v3 answers every second /version with 500: the canary's analysis aborts it, one line, ledger row failed.</summary>
    private async Task A_canary_of_a_broken_v3_aborts_and_no_request_after_the_abort_reaches_it(Pushed v1)
    {
        WriteEnvironment("{ kind: canary, steps: [20, 50, 100], pause: 2s, max-error-rate: 0.05, min-requests: 10 }");
        BrokenVersionEndpoint.WriteInto(_repo);
        _repo.Commit("v3 fails every second /version");
        var v3 = await CommitStageAsync("v3");

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
        var history = _repo.Build("--target=History", $"--environment={Environment}");
        history.Output.Split('\n').First(line => line.Contains(v3.Version, StringComparison.Ordinal)).ShouldContain("Failed");

        // Every request started after the aborted Deploy ended: none reaches v3.
        await using var after = LoadGenerator.Start(new LoadOptions { Url = new Uri($"http://127.0.0.1:{_port}/version"), MaxDuration = TimeSpan.FromMinutes(1), MaxRequests = 200 });
        var traffic = await after.Completion;
        traffic.Total.ShouldBe(200);
        traffic.Failed.ShouldBe(0);
        traffic.VersionCounts.Keys.Select(Plain).ShouldBe([v1.Version]);
        LiveDigests().ShouldBe([v1.Image.Digest]);
    }

    /// <summary>v1's tag re-pushed with another pulled image of the repository (same tag, another digest than v1's manifest records): Deploy refuses it before any container starts.</summary>
    private async Task An_image_re_tagged_in_the_registry_is_refused_at_deploy_and_nothing_starts(Pushed v1)
    {
        var images = _world.DockerOrFail("image", "ls", "--digests", "--format", "{{.Repository}}@{{.Digest}}", $"{_world.Registry}/{_registryPath}/acme.shop.api")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var other = images.First(image => !image.EndsWith(v1.Image.Digest, StringComparison.Ordinal) && !image.EndsWith("<none>", StringComparison.Ordinal));
        var retagged = $"{v1.Image.Repository}:{v1.Image.Tag}";
        _world.DockerOrFail("tag", other, retagged);
        _world.DockerOrFail("push", retagged);
        (await _world.RegistryDigestAsync($"{_registryPath}/acme.shop.api", v1.Image.Tag)).ShouldNotBe(v1.Image.Digest);
        var containersBefore = _world.DockerOrFail("ps", "-aq", "--filter", $"label=recipes.environment={Environment}");

        var refused = Deploy(v1);

        refused.ExitCode.ShouldNotBe(0, refused.All);
        OneLineError.LineOf(refused.Error).ShouldContain("refusing to deploy");
        _world.DockerOrFail("ps", "-aq", "--filter", $"label=recipes.environment={Environment}").ShouldBe(containersBefore, "no container started or removed");
        (await VersionAsync()).ShouldBe(v1.Version);
    }

    /// <summary>The environment's secret reaches the live container's environment and nothing else: no output, ledger, state file or image.</summary>
    private void TheSecretIsOnlyInTheContainersEnvironment(Pushed live, ProcessResult deploy)
    {
        var container = _world.DockerOrFail("ps", "-q", "--filter", $"label=recipes.environment={Environment}").Split('\n')[0].Trim();
        _world.DockerOrFail("inspect", "--format", "{{json .Config.Env}}", container).ShouldContain($"Shop__ApiKey={_secret}", customMessage: "the release gets its secret");
        deploy.All.ShouldNotContain(_secret);
        _repo.Build("--target=History", $"--environment={Environment}").All.ShouldNotContain(_secret);
        _repo.Build("--target=Status", $"--environment={Environment}").All.ShouldNotContain(_secret);
        _world.DockerOrFail("history", "--no-trunc", live.Image.PinnedReference).ShouldNotContain(_secret);
        _world.DockerOrFail("image", "inspect", live.Image.PinnedReference).ShouldNotContain(_secret);
        foreach (var file in Directory.EnumerateFiles(_repo.StateDirectory, "*", SearchOption.AllDirectories))
        {
            // The ledger, the router's state and logs, the releases' logs: bytes, so a binary SQLite page is read too.
            System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(file)).ShouldNotContain(_secret, customMessage: file);
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(_repo.Repository, "artifacts"), "*", SearchOption.AllDirectories))
        {
            System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(file)).ShouldNotContain(_secret, customMessage: file);
        }
    }

    private sealed record Pushed(string Version, ContainerImage Image, string Manifest);

    /// <summary>The commit stage with the fixture's registry; the manifest's digest must be the one the registry holds.</summary>
    private async Task<Pushed> CommitStageAsync(string name)
    {
        var result = _repo.Build("--target=CommitStage", $"--registry={_world.Registry}/{_registryPath}", $"--container-base-image={_world.BaseImage}");
        result.ExitCode.ShouldBe(0, $"CommitStage {name}: {result.All}");
        var entry = ArtifactManifest.Read(Path.Combine(_repo.Repository, "artifacts", "manifest.json")).Artifacts.Single(a => a.Id == "Acme.Shop.Api");
        var image = entry.Image.ShouldNotBeNull($"the manifest of {name} records the image");
        (await _world.RegistryDigestAsync($"{_registryPath}/acme.shop.api", image.Tag)).ShouldBe(image.Digest);
        var kept = Path.Combine(_repo.Root, $"manifest-{name}.json");
        File.Copy(Path.Combine(_repo.Repository, "artifacts", "manifest.json"), kept, overwrite: true);
        return new Pushed(entry.Version, image, kept);
    }

    private ProcessResult Deploy(Pushed version) =>
        _repo.Build("--target=Deploy", $"--environment={Environment}", $"--deploy-version={version.Version}", $"--manifest={version.Manifest}");

    private void Deployed(Pushed version)
    {
        var result = Deploy(version);
        result.ExitCode.ShouldBe(0, result.All);
    }

    /// <summary>The digests the environment's running containers were started from (the recipe's label on them).</summary>
    private string[] LiveDigests() =>
        [.. _world.DockerOrFail("ps", "--filter", $"label=recipes.environment={Environment}", "--format", "{{.Label \"recipes.digest\"}}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];

    private async Task<string?> VersionAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var response = await http.GetAsync($"http://127.0.0.1:{_port}/version");
        return Plain(response.Headers.TryGetValues("X-App-Version", out var values) ? values.Single() : null);
    }

    /// <summary>Counts a visit (the app writes its data folder); returns the count.</summary>
    private async Task<long> VisitAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var response = await http.PostAsync($"http://127.0.0.1:{_port}/visits", null);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"POST /visits answered {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("visits").GetInt64();
    }

    private async Task<long> VisitsAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        return System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{_port}/visits")).RootElement.GetProperty("visits").GetInt64();
    }

    private static string? Plain(string? version) => version?.Split('+')[0];
}
