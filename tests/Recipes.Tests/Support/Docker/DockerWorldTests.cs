namespace Recipes.Tests.Support.Docker;

/// <summary>The shared engine, registry and base image work, so that a failing Docker test points at the recipe, not at them.</summary>
[Trait("Category", "Slow")]
public sealed class DockerWorldTests
{
    [Fact]
    public void The_base_image_comes_from_the_runs_registry_and_carries_this_machines_aspnet_runtime()
    {
        var world = DockerWorld.Shared;

        // Pulled back from the registry by a fresh name, so the registry (not only the engine's store) has it.
        world.DockerOrFail("image", "rm", world.BaseImage);
        world.DockerOrFail("pull", world.BaseImage);
        var runtimes = world.DockerOrFail("run", "--rm", "--network", "host", world.BaseImage, "dotnet", "--list-runtimes");

        Assert.Contains($"Microsoft.NETCore.App {BaseImages.RuntimeVersion()}", runtimes);
        Assert.Contains("Microsoft.AspNetCore.App 10.", runtimes);
    }

    [Fact]
    public void The_engine_is_the_runs_own_and_has_no_bridge_network()
    {
        var world = DockerWorld.Shared;

        var root = world.DockerOrFail("info", "--format", "{{.DockerRootDir}}");
        var networks = world.DockerOrFail("network", "ls", "--format", "{{.Driver}}");

        Assert.StartsWith(world.Root, root);
        Assert.DoesNotContain("bridge", networks);
    }
}
