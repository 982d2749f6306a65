using Docker.DotNet;
using Recipes.Deployment.Docker;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>
/// The engine and registry the docker tests use, from RECIPES_TEST_DOCKER_HOST and RECIPES_TEST_REGISTRY (a
/// dockerd started by hand with --bridge=none, and a registry on 127.0.0.1), until the shared Docker fixture lands.
/// </summary>
internal static class DockerTestEngine
{
    public static DockerEndpoint Endpoint =>
        DockerEndpoint.Resolve(Required("RECIPES_TEST_DOCKER_HOST"), "RECIPES_TEST_DOCKER_HOST", _ => null);

    /// <summary>The registry's host:port, such as <c>127.0.0.1:5000</c>.</summary>
    public static string Registry => Required("RECIPES_TEST_REGISTRY");

    public static DockerClient Client() => new DockerClientConfiguration(Endpoint.Address).CreateClient();

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: start a dockerd and a registry on 127.0.0.1 and point {name} at them.");
}
