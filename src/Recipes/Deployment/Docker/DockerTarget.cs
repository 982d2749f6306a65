using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Docker;

/// <summary>
/// <c>target: docker</c>: each release is a fresh container of the deployable's image, pulled by digest, in one of the
/// environment's two slots on the host's network behind the environment's router; the strategies are the shared ones.
/// </summary>
internal static class DockerTarget
{
    /// <summary>What environments write in <c>target:</c>.</summary>
    public const string Name = "docker";

    /// <summary>The environment field that names the image repository, such as <c>127.0.0.1:5000/service</c>.</summary>
    public const string RepositoryField = "repository";

    /// <summary>The target's line in <see cref="DeploymentTargets.Builtin"/>.</summary>
    public static DeploymentTargetRegistration Registration { get; } = new(
        Name,
        [RepositoryField],
        fields => new DockerSettings(fields.OptionalString(RepositoryField)),
        services => Create(services, DockerEndpoint.Resolve(null, "DOCKER_HOST", System.Environment.GetEnvironmentVariable)))
    {
        // A docker environment deploys the deployable's image, proven by the digest the manifest records beside the package's.
        ArtifactDigest = (entry, manifest) => ReleaseImage.Of(entry, manifest).Digest,
        // It pulls an image, never the package, so it has no migration scripts to give the deployer.
        ProvidesPackageFile = false,
    };

    /// <summary>
    /// The environment's image repository: its <c>repository:</c> field, else <c>RECIPES_REGISTRY</c>/the deployable's
    /// id in lowercase (the SDK's default repository name).
    /// </summary>
    /// <exception cref="RecipeException">Neither names a registry.</exception>
    public static string Repository(DeploymentEnvironment environment) => Repository(environment, System.Environment.GetEnvironmentVariable);

    /// <inheritdoc cref="Repository(DeploymentEnvironment)"/>
    internal static string Repository(DeploymentEnvironment environment, Func<string, string?> environmentVariable) =>
        (environment.TargetSettings as DockerSettings)?.Repository is { Length: > 0 } repository ? repository
        : environmentVariable("RECIPES_REGISTRY") is { Length: > 0 } registry ? $"{registry.TrimEnd('/')}/{environment.Artifact.ToLowerInvariant()}"
        : throw new RecipeException(
            $"Environment '{environment.Name}' (target docker) names no image repository: add 'repository: <registry>/<name>' to it, or set RECIPES_REGISTRY.");

    /// <summary>The target over the engine at <paramref name="endpoint"/> (the registration's is DOCKER_HOST or the default socket, like the docker command line's).</summary>
    internal static IDeploymentTarget Create(TargetServices services, DockerEndpoint endpoint)
    {
        var engine = new DockerEngine(endpoint);
        var registry = new RegistryTags(new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) });
        var slots = new ContainerSlots(new ContainerReleases(engine, services.Log), engine, services.StateDirectory, services.Log);
        return new SlotTarget(Name, services.StateDirectory, slots, new ImageArtifacts(engine, registry, services.Log), services.Log)
        {
            ProgressInterval = services.ProgressInterval,
        };
    }
}

/// <summary>The docker target's own fields of one environment.</summary>
/// <param name="Repository">The image repository, or null for <c>RECIPES_REGISTRY</c>/the deployable's id.</param>
internal sealed record DockerSettings(string? Repository);
