using Recipes.Artifacts;
using Recipes.Tests.Support.Docker;
using Recipes.Versioning;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// The commit stage of recipes/service with a registry: the service's image is pushed with the SDK's container
/// support, the manifest records the registry's digest, a rerun pushes nothing, and a tag re-pushed with other
/// content is refused. Uses the run's Docker engine and registry (<see cref="DockerWorld"/>).
/// </summary>
[Trait("Category", "Slow")]
public sealed class ImagePublishTests
{
    private const string Credentials = "ci-pusher:rp_9c1e4f7a2b8d";
    private const string EnvironmentSecret = "sk_live_shop_5d2a9e71";

    [Fact]
    public async Task The_image_is_pushed_once_pinned_by_the_registry_s_digest_and_a_retagged_tag_is_refused()
    {
        var world = DockerWorld.Shared;
        using var repo = new SampleRepository("service");
        foreach (var (name, value) in world.Environment)
        {
            repo.Environment[name] = value;
        }

        // A deployment secret of dev, set in the build's environment as CI would: it must not end up in the image.
        repo.Environment["RECIPES_REGISTRY_CREDENTIALS"] = Credentials;
        repo.Environment["SHOP_API_KEY"] = EnvironmentSecret;
        repo.Write("environments.yml", File.ReadAllText(Path.Combine(repo.Repository, "environments.yml"))
            .Replace("    features: { LoudGreeting: false }\n  - name: staging", "    features: { LoudGreeting: false }\n    secrets: { Shop__ApiKey: { from-env: SHOP_API_KEY } }\n  - name: staging", StringComparison.Ordinal));
        repo.Commit("dev gets a secret");
        var registryPath = $"image-tests-{Guid.NewGuid():N}"[..24];
        string[] settings = ["--target=CommitStage", $"--registry={world.Registry}/{registryPath}", $"--container-base-image={world.BaseImage}"];

        var first = repo.Build(settings);

        first.ExitCode.ShouldBe(0, first.All);
        var version = new GitVersionCalculator().Calculate(repo.Repository).SemVer;
        var repository = $"{registryPath}/acme.shop.api";
        var image = ManifestImage(repo);
        image.Repository.ShouldBe($"{world.Registry}/{repository}");
        image.Tag.ShouldBe(version);
        image.Digest.ShouldMatch("^sha256:[0-9a-f]{64}$");
        (await world.RegistryDigestAsync(repository, version)).ShouldBe(image.Digest, "the manifest records the digest the registry holds for the tag");
        first.Output.ShouldContain($"{image.Repository}:{version}: pushed as {image.Digest}");

        // Neither the registry's credentials nor an environment's secret reach the output, the manifest or the image.
        world.DockerOrFail("pull", image.PinnedReference);
        var history = world.DockerOrFail("history", "--no-trunc", image.PinnedReference);
        var inspect = world.DockerOrFail("inspect", image.PinnedReference);
        var manifestText = File.ReadAllText(Path.Combine(repo.Repository, "artifacts", "manifest.json"));
        foreach (var secret in new[] { Credentials, Credentials.Split(':')[1], EnvironmentSecret })
        {
            first.All.ShouldNotContain(secret);
            manifestText.ShouldNotContain(secret);
            history.ShouldNotContain(secret);
            inspect.ShouldNotContain(secret);
        }

        // The same commit again: a rebuild whose image would differ only by the SDK's timestamps; nothing is pushed.
        var rerun = repo.Build(settings);

        rerun.ExitCode.ShouldBe(0, rerun.All);
        rerun.Output.ShouldContain($"{image.Repository}:{version}: already in the registry with the same content ({image.Digest}), nothing pushed");
        rerun.Output.ShouldNotContain("pushed as");
        ManifestImage(repo).ShouldBe(image);
        (await world.RegistryDigestAsync(repository, version)).ShouldBe(image.Digest);

        // Someone pushes other content under the same tag: the next publish refuses, and the manifest keeps the old digest.
        world.DockerOrFail("tag", world.BaseImage, $"{image.Repository}:{version}");
        world.DockerOrFail("push", $"{image.Repository}:{version}");
        var retagged = await world.RegistryDigestAsync(repository, version);
        retagged.ShouldNotBe(image.Digest);

        var refused = ProcessRunner.Run("dotnet", [.. repo.ProgramCommand(), .. settings[1..], "--target=Publish", "--exclusive", $"--feed={repo.Feed}"], repo.Repository, TimeSpan.FromMinutes(5), repo.Environment);

        var line = PipelineErrors.ShouldFailWithOneLine(refused, $"The registry {world.Registry} already has {repository}:{version} ({retagged}) with other content");
        line.ShouldContain("image tags are immutable");
        (await world.RegistryDigestAsync(repository, version)).ShouldBe(retagged, "nothing was pushed over it");
        ManifestImage(repo).ShouldBe(image);
    }

    internal static ContainerImage ManifestImage(SampleRepository repo)
    {
        var manifest = ArtifactManifest.Read(Path.Combine(repo.Repository, "artifacts", "manifest.json"));
        var entry = manifest.Artifacts.ShouldHaveSingleItem();
        entry.Kind.ShouldBe("deployable");
        return entry.Image.ShouldNotBeNull("the deployable's manifest entry records its image");
    }
}
