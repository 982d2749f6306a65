using Docker.DotNet.Models;
using Recipes.Deployment;
using Recipes.Deployment.Docker;
using Recipes.Deployment.Slots;
using Recipes.Tests.Support;
using Shouldly;
using Xunit;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>The docker target's slots against a real engine: a release container by digest, healthy, its secret only in its own environment, stopped and removed.</summary>
[Trait("Category", "Slow")]
public sealed class ContainerReleasesTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_release_container_serves_on_loopback_with_its_config_and_secret_and_the_secret_is_in_no_image_or_log()
    {
        using var client = DockerTestEngine.Client();
        var repository = $"{DockerTestEngine.Registry}/recipes-testapp";
        var digest = await TestAppImage.PushAsync(client, repository, "1.0.0");
        using var engine = new DockerEngine(DockerTestEngine.Endpoint);
        var log = new List<string>();
        var releases = new ContainerReleases(engine, log.Add);
        using var folder = new TempDirectory("recipes-docker");
        File.WriteAllText(folder.Combine("features.json"), "{}");
        var environment = $"slots-{Guid.NewGuid():N}"[..16];
        const string secret = "s3cr3t-value-42";
        var image = await engine.PullAsync(repository, digest, None);

        var release = await releases.StartAsync(environment, "blue", new ImageRelease("Recipes.TestApp", "1.0.0", repository, digest), 7, new Dictionary<string, string> { ["RECIPES_TESTAPP_SECRET"] = secret },
            new ContainerFolders(folder.Combine("features.json"), folder.Combine("data"), null), null, HealthCheck.Default, None);
        try
        {
            await releases.WaitHealthyAsync(release, HealthCheck.Default with { Timeout = TimeSpan.FromSeconds(60) }, None);
            using var http = new HttpClient();
            (await http.GetStringAsync(new Uri(release.Address, "version"))).ShouldBe("1.0.0");
            (await http.GetStringAsync(new Uri(release.Address, "secret"))).ShouldBe("present");

            (await client.Containers.InspectContainerAsync(release.ContainerId)).Config.Env.ShouldContain($"RECIPES_TESTAPP_SECRET={secret}");
            var imageConfig = (await client.Images.InspectImageAsync(image)).Config;
            imageConfig.Env.ShouldNotContain(variable => variable.Contains(secret));
            (await client.Images.GetImageHistoryAsync(image)).ShouldNotContain(layer => layer.CreatedBy.Contains(secret));
            log.ShouldNotContain(line => line.Contains(secret));
            var found = (await releases.ListAsync(environment, None)).ShouldHaveSingleItem();
            found.Label(ContainerLabels.Digest).ShouldBe(digest);
            found.Label(ContainerLabels.LedgerId).ShouldBe("7");
            found.Label(ContainerReleases.PortLabel).ShouldBe(release.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await releases.StopAsync(release.ContainerId, TimeSpan.FromSeconds(5), None);
        }

        (await releases.ListAsync(environment, None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_container_that_stops_before_it_is_healthy_fails_the_health_check_at_once()
    {
        using var client = DockerTestEngine.Client();
        var repository = $"{DockerTestEngine.Registry}/recipes-engine-test";
        var digest = await TinyImage.PushAsync(client, repository, "exits", ["/bin/sh"], [], ["CMD [\"/bin/sh\", \"-c\", \"exit 3\"]"], Guid.NewGuid().ToString());
        using var engine = new DockerEngine(DockerTestEngine.Endpoint);
        var releases = new ContainerReleases(engine, _ => { });
        using var folder = new TempDirectory("recipes-docker");
        File.WriteAllText(folder.Combine("features.json"), "{}");
        var image = await engine.PullAsync(repository, digest, None);

        var release = await releases.StartAsync($"exits-{Guid.NewGuid():N}"[..16], "green", new ImageRelease("exits", "exits", repository, digest), 1, new Dictionary<string, string>(),
            new ContainerFolders(folder.Combine("features.json"), folder.Combine("data"), null), null, HealthCheck.Default, None);
        try
        {
            var error = await Should.ThrowAsync<ReleaseUnhealthyException>(() => releases.WaitHealthyAsync(release, HealthCheck.Default with { Timeout = TimeSpan.FromMinutes(5) }, None));
            error.Message.ShouldContain("stopped (exit code 3)");
        }
        finally
        {
            await releases.StopAsync(release.ContainerId, TimeSpan.Zero, None);
        }
    }
}
