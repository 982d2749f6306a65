using Recipes.Artifacts;
using Recipes.Tests.Support.Docker;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service with one <c>target: docker</c> environment, through the real <c>./build.sh</c> on the run's engine
/// and registry (<see cref="DockerWorld"/>): CommitStage v1 pushes the image the manifest pins, Deploy v1, CommitStage
/// v2, blue-green to v2 under load, Rollback to v1's digest, and a killed live container replaced by Status.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DockerDeploymentTests : IDisposable
{
    private const string Environment = "boxed";
    private readonly DockerWorld _world = DockerWorld.Shared;
    private readonly SampleRepository _repo = new("service");
    private readonly string _registryPath = $"e2e-{Guid.NewGuid():N}"[..20];
    private readonly int _port = PublicPorts.Next();

    public DockerDeploymentTests()
    {
        foreach (var (name, value) in _world.Environment)
        {
            _repo.Environment[name] = value;
        }

        _repo.Write("environments.yml", $$"""
            environments:
              - name: {{Environment}}
                artifact: Acme.Shop.Api
                target: docker
                repository: {{_world.Registry}}/{{_registryPath}}/acme.shop.api
                port: {{_port}}
                strategy: { kind: blue-green, grace-period: 1s }
                health: { path: /health, timeout: 60s }
                smoke: [ { path: /version } ]
                features: { LoudGreeting: false }
            """);
        _repo.Commit("One docker environment");
    }

    public void Dispose()
    {
        _repo.Build("--target=Stop");
        _repo.Dispose();
    }

    [Fact]
    public async Task Blue_green_between_two_pushed_images_fails_no_request_rolls_back_by_digest_and_a_killed_container_is_replaced()
    {
        var v1 = await CommitStageAsync("v1");
        Deployed(v1);
        (await VersionAsync()).ShouldBe(v1.Version);
        LiveDigests().ShouldBe([v1.Image.Digest]);

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

        var rollback = _repo.Build("--target=Rollback", $"--environment={Environment}");
        rollback.ExitCode.ShouldBe(0, rollback.All);
        (await VersionAsync()).ShouldBe(v1.Version);
        LiveDigests().ShouldBe([v1.Image.Digest], "Rollback starts v1's image by its digest");

        var live = _world.DockerOrFail("ps", "-q", "--filter", $"label=recipes.environment={Environment}").Trim();
        _world.DockerOrFail("kill", live);
        var status = _repo.Build("--target=Status", $"--environment={Environment}");

        status.ExitCode.ShouldBe(0, status.All);
        status.All.ShouldContain("replaced container");
        _world.DockerOrFail("ps", "-q", "--filter", $"label=recipes.environment={Environment}").Trim().ShouldNotBe(live);
        LiveDigests().ShouldBe([v1.Image.Digest], "the replacement runs the same digest, nothing rebuilt");
        // Status starts the replacement without waiting for its health check, so the app may still be starting.
        (await FirstVersionAnsweredAsync(TimeSpan.FromSeconds(60))).ShouldBe(v1.Version);
    }

    /// <summary>The version the environment's port answers with, once it answers; null if it did not within <paramref name="patience"/>.</summary>
    private async Task<string?> FirstVersionAnsweredAsync(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await VersionAsync() is { } version)
                {
                    return version;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the condition waited for.
            }

            await Task.Delay(100);
        }

        return null;
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

    private static string? Plain(string? version) => version?.Split('+')[0];
}
