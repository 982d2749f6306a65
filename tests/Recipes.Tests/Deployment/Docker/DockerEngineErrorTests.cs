using Recipes.Deployment.Docker;
using Recipes.Tests.Support;
using Shouldly;
using Xunit;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>Bad input to the engine capability: one line that names what is wrong and what to do; no engine needed.</summary>
public sealed class DockerEngineErrorTests
{
    [Fact]
    public async Task No_engine_at_the_socket_is_one_line_naming_the_socket_and_how_to_start_one()
    {
        using var folder = new TempDirectory("recipes-docker");
        var socket = $"unix://{folder.Combine("docker.sock")}";
        using var engine = new DockerEngine(DockerEndpoint.Resolve(null, "environments.yml engine", name => name == "DOCKER_HOST" ? socket : null));

        var error = await Should.ThrowAsync<RecipeException>(() => engine.PingAsync(CancellationToken.None));

        error.Message.ShouldStartWith($"No Docker Engine answers at {socket} (from DOCKER_HOST;");
        error.Message.ShouldContain($"sudo dockerd --host {socket}");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void The_engine_is_the_setting_else_DOCKER_HOST_else_the_default_socket()
    {
        DockerEndpoint.Resolve("tcp://127.0.0.1:2375", "environments.yml engine", _ => "unix:///x.sock").Source.ShouldBe("environments.yml engine");
        DockerEndpoint.Resolve(null, "environments.yml engine", _ => "unix:///x.sock").Address.ShouldBe(new Uri("unix:///x.sock"));
        DockerEndpoint.Resolve(null, "environments.yml engine", _ => null).Address.ShouldBe(new Uri(DockerEndpoint.DefaultAddress));
        Should.Throw<RecipeException>(() => DockerEndpoint.Resolve("docker.sock", "environments.yml engine", _ => null))
            .Message.ShouldContain("'docker.sock' (from environments.yml engine)");
    }

    [Fact]
    public async Task An_image_is_never_pulled_by_tag()
    {
        using var engine = new DockerEngine(DockerEndpoint.Resolve("unix:///nonexistent/docker.sock", "test", _ => null));

        var refusal = await Should.ThrowAsync<RecipeException>(() => engine.PullAsync("127.0.0.1:5000/service", "1.2.0", CancellationToken.None));

        refusal.Message.ShouldContain("pulls images by digest only");
    }

    [Fact]
    public async Task An_unreachable_registry_is_one_line_naming_it()
    {
        using var http = new HttpClient();

        var error = await Should.ThrowAsync<RecipeException>(() => new RegistryTags(http).ResolveAsync($"127.0.0.1:{PublicPorts.Next()}/service", "1.0.0", CancellationToken.None));

        error.Message.ShouldStartWith("Registry 127.0.0.1:");
        error.Message.ShouldContain("cannot be reached");
    }

    [Theory]
    [InlineData("127.0.0.1:5000/service", "127.0.0.1:5000", "service")]
    [InlineData("registry.example.com/team/service", "registry.example.com", "team/service")]
    [InlineData("team/service", "registry-1.docker.io", "team/service")]
    [InlineData("service", "registry-1.docker.io", "library/service")]
    public void A_repository_names_its_registry(string repository, string registry, string name) =>
        RegistryTags.Split(repository).ShouldBe((registry, name));
}
