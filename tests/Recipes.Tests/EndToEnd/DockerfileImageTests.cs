using Recipes.Tests.Support.Docker;
using Recipes.Versioning;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service with a team's Dockerfile next to its deployable: the commit stage builds the image with that
/// Dockerfile (the publish output as context, BASE_IMAGE and VERSION as build arguments), pushes it once, and records
/// the registry's digest; a Dockerfile that fails is named in one line with its failing step, before anything is published.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DockerfileImageTests
{
    private const string Credentials = "ci-pusher:rp_4f1d8b2c7e90";
    private const string ProjectFolder = "src/Acme.Shop.Api";

    private const string TeamDockerfile = """
        ARG BASE_IMAGE
        FROM ${BASE_IMAGE}
        ARG VERSION
        LABEL com.example.built-with="team-dockerfile" com.example.app-version="${VERSION}"
        COPY . /app
        WORKDIR /app
        ENTRYPOINT ["dotnet", "Acme.Shop.Api.dll"]
        """;

    [Fact]
    public async Task The_team_s_Dockerfile_builds_the_image_which_is_pushed_once_and_pinned_by_the_registry_s_digest()
    {
        var world = DockerWorld.Shared;
        using var repo = ServiceWithDockerfile(world, TeamDockerfile);
        var registryPath = $"dockerfile-{Guid.NewGuid():N}"[..22];
        var settings = Settings(world, registryPath);

        var first = repo.Build(settings);

        first.ExitCode.ShouldBe(0, first.All);
        var version = new GitVersionCalculator().Calculate(repo.Repository).SemVer;
        var repository = $"{registryPath}/acme.shop.api";
        var image = ImagePublishTests.ManifestImage(repo);
        image.Repository.ShouldBe($"{world.Registry}/{repository}");
        image.Tag.ShouldBe(version);
        (await world.RegistryDigestAsync(repository, version)).ShouldBe(image.Digest, "the manifest records the digest the registry holds for the tag");
        first.Output.ShouldContain($"{image.Repository}:{version}: pushed as {image.Digest}");

        // The pushed image is the Dockerfile's: its label, its build argument, and the publish output without the Dockerfile.
        world.DockerOrFail("pull", image.PinnedReference);
        world.DockerOrFail("inspect", "--format", "{{ index .Config.Labels \"com.example.built-with\" }}", image.PinnedReference).ShouldBe("team-dockerfile");
        world.DockerOrFail("inspect", "--format", "{{ index .Config.Labels \"com.example.app-version\" }}", image.PinnedReference).ShouldBe(version);
        var files = world.DockerOrFail("run", "--rm", "--network", "host", "--entrypoint", "/bin/sh", image.PinnedReference, "-c", "ls -a /app");
        files.ShouldContain("Acme.Shop.Api.dll");
        files.ShouldNotContain("Dockerfile");
        files.ShouldNotContain(".dockerignore");

        // The registry's credentials went to the push only: not a build argument, not in the output, manifest or image.
        var history = world.DockerOrFail("history", "--no-trunc", image.PinnedReference);
        var inspect = world.DockerOrFail("inspect", image.PinnedReference);
        var manifestText = File.ReadAllText(Path.Combine(repo.Repository, "artifacts", "manifest.json"));
        foreach (var secret in new[] { Credentials, Credentials.Split(':')[1] })
        {
            first.All.ShouldNotContain(secret);
            manifestText.ShouldNotContain(secret);
            history.ShouldNotContain(secret);
            inspect.ShouldNotContain(secret);
        }

        var rerun = repo.Build(settings);

        rerun.ExitCode.ShouldBe(0, rerun.All);
        rerun.Output.ShouldContain($"{image.Repository}:{version}: already in the registry with the same content ({image.Digest}), nothing pushed");
        rerun.Output.ShouldNotContain("pushed as");
        ImagePublishTests.ManifestImage(repo).ShouldBe(image);
        (await world.RegistryDigestAsync(repository, version)).ShouldBe(image.Digest);
    }

    [Fact]
    public async Task A_Dockerfile_that_fails_is_named_with_its_failing_step_and_nothing_is_published()
    {
        var world = DockerWorld.Shared;
        var broken = TeamDockerfile.Replace("COPY . /app", "COPY . /app\nRUN echo checking the app && exit 3", StringComparison.Ordinal);
        using var repo = ServiceWithDockerfile(world, broken);
        var registryPath = $"dockerfile-{Guid.NewGuid():N}"[..22];

        var result = repo.Build(Settings(world, registryPath));

        var dockerfile = Path.Combine(repo.Repository, ProjectFolder, "Dockerfile");
        var line = PipelineErrors.ShouldFailWithOneLine(result, $"{dockerfile} failed to build the image of Acme.Shop.Api");
        line.ShouldContain("RUN echo checking the app && exit 3");
        line.ShouldContain("returned a non-zero code: 3");
        repo.FeedContents().ShouldBeEmpty("nothing reaches the feed");
        File.Exists(Path.Combine(repo.Repository, "artifacts", "manifest.json")).ShouldBeFalse("no manifest is written");
        using var http = new HttpClient();
        var catalog = await http.GetStringAsync($"http://{world.Registry}/v2/_catalog?n=1000");
        catalog.ShouldNotContain(registryPath, customMessage: "no image reaches the registry");
    }

    private static SampleRepository ServiceWithDockerfile(DockerWorld world, string dockerfile)
    {
        var repo = new SampleRepository("service");
        foreach (var (name, value) in world.Environment)
        {
            repo.Environment[name] = value;
        }

        repo.Environment["RECIPES_REGISTRY_CREDENTIALS"] = Credentials;
        repo.Write(Path.Combine(ProjectFolder, "Dockerfile"), dockerfile);
        repo.Commit("The team's Dockerfile for the API");
        return repo;
    }

    private static string[] Settings(DockerWorld world, string registryPath) =>
        ["--target=CommitStage", $"--registry={world.Registry}/{registryPath}", $"--container-base-image={world.BaseImage}"];
}
