using Docker.DotNet.Models;
using Recipes.Deployment.Docker;
using Recipes.Tests.Support;
using Shouldly;
using Xunit;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>The engine capability against a real engine and registry: pull by digest, start, inspect, list, stop, remove.</summary>
[Trait("Category", "Slow")]
public sealed class DockerEngineTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_container_starts_from_the_pulled_digest_with_labels_env_and_a_read_only_mount_and_is_found_stopped_and_removed()
    {
        using var client = DockerTestEngine.Client();
        var repository = $"{DockerTestEngine.Registry}/recipes-engine-test";
        var digest = await TinyImage.PushAsync(client, repository, "1.0.0", Guid.NewGuid().ToString());
        await client.Images.DeleteImageAsync($"{repository}:1.0.0", new ImageDeleteParameters { Force = true });
        using var engine = new DockerEngine(DockerTestEngine.Endpoint);
        using var folder = new TempDirectory("recipes-docker");
        File.WriteAllText(folder.Combine("features.json"), "{\"on\":true}");
        var environment = $"engine-test-{Guid.NewGuid():N}";

        var image = await engine.PullAsync(repository, digest, None);
        image.ShouldBe($"{repository}@{digest}");
        var labels = new Dictionary<string, string> { [ContainerLabels.Environment] = environment, [ContainerLabels.Slot] = "blue", [ContainerLabels.Digest] = digest };
        var spec = new ContainerDefinition($"{environment}-blue", image, new Dictionary<string, string> { ["Greeting"] = "hello" }, labels)
        {
            Mounts = [new ContainerMount(folder.Combine("features.json"), "/features/features.json", ReadOnly: true)],
            Command = ["/bin/sh", "-c", "cat /features/features.json > /tmp/copy && echo $Greeting > /tmp/greeting && exec /bin/sleep 600"],
        };
        var id = await engine.StartAsync(spec, None);
        try
        {
            var state = (await engine.InspectAsync(id, None)).ShouldNotBeNull();
            state.Running.ShouldBeTrue();
            state.Label(ContainerLabels.Digest).ShouldBe(digest);
            var inspected = await client.Containers.InspectContainerAsync(id);
            inspected.HostConfig.NetworkMode.ShouldBe("host");
            inspected.HostConfig.ReadonlyRootfs.ShouldBeTrue();
            inspected.HostConfig.RestartPolicy.Name.ShouldBe(RestartPolicyKind.No);
            inspected.Config.Env.ShouldContain("Greeting=hello");
            (await engine.ListAsync(new Dictionary<string, string> { [ContainerLabels.Environment] = environment }, None)).Select(found => found.Id).ShouldBe([id]);

            await engine.StopAsync(id, TimeSpan.FromSeconds(1), None);
            var stopped = (await engine.InspectAsync(id, None)).ShouldNotBeNull();
            stopped.Running.ShouldBeFalse();
            stopped.ExitCode.ShouldNotBeNull();
        }
        finally
        {
            await engine.RemoveAsync(id, None);
        }

        (await engine.InspectAsync(id, None)).ShouldBeNull();
        (await engine.ListAsync(new Dictionary<string, string> { [ContainerLabels.Environment] = environment }, None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_image_filesystem_is_read_only_and_a_killed_container_reports_its_exit()
    {
        using var client = DockerTestEngine.Client();
        var repository = $"{DockerTestEngine.Registry}/recipes-engine-test";
        var digest = await TinyImage.PushAsync(client, repository, "2.0.0", Guid.NewGuid().ToString());
        using var engine = new DockerEngine(DockerTestEngine.Endpoint);
        var image = await engine.PullAsync(repository, digest, None);
        var name = $"engine-test-{Guid.NewGuid():N}";
        var writer = await engine.StartAsync(new ContainerDefinition(name + "-writer", image, new Dictionary<string, string>(), new Dictionary<string, string>())
        {
            Command = ["/bin/sh", "-c", "echo changed > /marker"],
        }, None);
        var sleeper = await engine.StartAsync(new ContainerDefinition(name + "-sleeper", image, new Dictionary<string, string>(), new Dictionary<string, string>())
        {
            Command = ["/bin/sleep", "600"],
        }, None);
        try
        {
            await client.Containers.WaitContainerAsync(writer);
            (await engine.InspectAsync(writer, None)).ShouldNotBeNull().ExitCode.ShouldNotBe(0);

            await client.Containers.KillContainerAsync(sleeper, new ContainerKillParameters { Signal = "KILL" });
            await client.Containers.WaitContainerAsync(sleeper);
            var killed = (await engine.InspectAsync(sleeper, None)).ShouldNotBeNull();
            killed.Running.ShouldBeFalse();
            killed.ExitCode.ShouldBe(137);
            killed.RestartCount.ShouldBe(0);
        }
        finally
        {
            await engine.RemoveAsync(writer, None);
            await engine.RemoveAsync(sleeper, None);
        }
    }

    [Fact]
    public async Task A_tag_pushed_again_with_other_content_is_refused_with_one_line()
    {
        using var client = DockerTestEngine.Client();
        var repository = $"{DockerTestEngine.Registry}/recipes-retag-test";
        var tag = $"1.0.{Environment.TickCount64 % 100000}";
        var first = await TinyImage.PushAsync(client, repository, tag, "first " + Guid.NewGuid());
        using var http = new HttpClient();
        var registry = new RegistryTags(http);
        await registry.RequireUnchangedAsync(repository, tag, first, None);

        var second = await TinyImage.PushAsync(client, repository, tag, "second " + Guid.NewGuid());

        second.ShouldNotBe(first);
        var refusal = await Should.ThrowAsync<RecipeException>(() => registry.RequireUnchangedAsync(repository, tag, first, None));
        refusal.Message.ShouldContain($"{repository}:{tag} was re-tagged");
        refusal.Message.ShouldContain(first);
        refusal.Message.ShouldContain(second);
        refusal.Message.ShouldNotContain("\n");
    }
}
