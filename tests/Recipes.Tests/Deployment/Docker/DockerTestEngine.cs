using Docker.DotNet;
using Recipes.Deployment.Docker;
using Recipes.Tests.Support.Docker;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>The run's shared engine and registry (<see cref="DockerWorld"/>), as the docker target's types take them.</summary>
internal static class DockerTestEngine
{
    public static DockerEndpoint Endpoint => DockerEndpoint.Resolve(DockerWorld.Shared.DockerHost, "the tests' engine", _ => null);

    /// <summary>The registry's host:port, such as <c>127.0.0.1:5000</c>.</summary>
    public static string Registry => DockerWorld.Shared.Registry;

    public static DockerClient Client() => new DockerClientConfiguration(Endpoint.Address).CreateClient();
}
