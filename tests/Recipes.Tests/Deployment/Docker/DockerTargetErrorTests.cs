using Recipes.Deployment;
using Recipes.Deployment.Docker;
using Recipes.Deployment.Toggles;
using Recipes.Feeds;
using Recipes.Tests.Support;
using SecretReference = Recipes.Deployment.SecretReference;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>Bad input to <c>target: docker</c> through the deployer: one line, and nothing starts. No engine needed.</summary>
public sealed class DockerTargetErrorTests : IDisposable
{
    private readonly TempDirectory _state = new("recipes-docker-errors");

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task A_deploy_with_no_engine_at_the_socket_fails_with_one_line_naming_it_and_how_to_start_one()
    {
        var socket = $"unix://{_state.Combine("docker.sock")}";
        var deployer = Deployer(DockerEndpoint.Resolve(null, "DOCKER_HOST", name => name == "DOCKER_HOST" ? socket : null));

        var error = await Should.ThrowAsync<RecipeException>(() => deployer.DeployAsync(Request(Environment("127.0.0.1:5000/app")), CancellationToken.None));

        error.Message.ShouldStartWith($"No Docker Engine answers at {socket} (from DOCKER_HOST;");
        error.Message.ShouldContain("start one");
        error.Message.ShouldNotContain("\n");
        DeploymentLedger.Open(_state.Combine("ledger.db")).Live("dev").ShouldBeNull();
    }

    [Fact]
    public void The_repository_is_the_environments_else_RECIPES_REGISTRY_and_the_artifact_else_one_line_saying_what_to_add()
    {
        DockerTarget.Repository(Environment(null), _ => "127.0.0.1:5000/").ShouldBe("127.0.0.1:5000/app");
        Should.Throw<RecipeException>(() => DockerTarget.Repository(Environment(null), _ => null))
            .Message.ShouldBe("Environment 'dev' (target docker) names no image repository: add 'repository: <registry>/<name>' to it, or set RECIPES_REGISTRY.");
    }

    private Deployer Deployer(DockerEndpoint endpoint) => new(
        () => DeploymentLedger.Open(_state.Combine("ledger.db")),
        TimeSpan.FromSeconds(5),
        new DeploymentTargets([DockerTarget.Registration with { Create = services => DockerTarget.Create(services, endpoint) }]),
        new TargetServices(_state.Path, _ => { }, null));

    private static DeploymentRequest Request(DeploymentEnvironment environment) =>
        new(environment, new FolderFeed(Path.GetTempPath()), "1.0.0", "sha256:" + new string('a', 64), "abc1234", DeploymentKind.Deploy, "test");

    private static DeploymentEnvironment Environment(string? repository) =>
        new("dev", DockerTarget.Name, "App", PublicPorts.Next(), new BlueGreenStrategy(TimeSpan.Zero), HealthCheck.Default, [], false,
            new Dictionary<string, FeatureToggle>(), new Dictionary<string, string>(), new Dictionary<string, SecretReference>(), 1)
        {
            TargetSettings = new DockerSettings(repository),
        };
}
