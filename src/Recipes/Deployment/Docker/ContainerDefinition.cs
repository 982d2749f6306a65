namespace Recipes.Deployment.Docker;

/// <summary>A container to create from an image pulled by digest: always on the host's network, never restarted by the engine.</summary>
/// <param name="Name">The container's name, unique on the engine, such as <c>recipes-staging-blue-42</c>.</param>
/// <param name="Image">The image by digest, <c>repository@sha256:…</c>.</param>
/// <param name="Variables">Environment variables: configuration and the environment's declared secrets, nothing else.</param>
/// <param name="Labels">Labels by which the target finds its containers again (see <see cref="ContainerLabels"/>).</param>
internal sealed record ContainerDefinition(string Name, string Image, IReadOnlyDictionary<string, string> Variables, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Host files or folders mounted into the container.</summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>
    /// Whether the image's filesystem is read-only (with a small writable <c>/tmp</c>), so that nothing of a release
    /// lives in a container that is not in its image or a mount.
    /// </summary>
    public bool ReadOnlyRootFilesystem { get; init; } = true;

    /// <summary>The <c>uid:gid</c> to run as; null for the image's own user.</summary>
    public string? User { get; init; }

    /// <summary>The command to run instead of the image's own; empty for the image's.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];
}

/// <summary>A host path mounted into a container.</summary>
/// <param name="HostPath">The absolute path on the host.</param>
/// <param name="ContainerPath">The absolute path inside the container.</param>
/// <param name="ReadOnly">Whether the container may only read it.</param>
internal sealed record ContainerMount(string HostPath, string ContainerPath, bool ReadOnly);

/// <summary>What the engine says about a container now.</summary>
/// <param name="Id">The engine's id.</param>
/// <param name="Name">Its name, without the engine's leading slash.</param>
/// <param name="Running">Whether its process runs.</param>
/// <param name="ExitCode">The exit code of its process when it stopped; null while it runs.</param>
/// <param name="RestartCount">How often the engine restarted it (always 0: we set no restart policy).</param>
/// <param name="Labels">Its labels.</param>
internal sealed record ContainerState(string Id, string Name, bool Running, long? ExitCode, long RestartCount, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>One of the container's labels, or null.</summary>
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}

/// <summary>The labels every container of the docker target carries, so that List, Status and Stop find it again.</summary>
internal static class ContainerLabels
{
    /// <summary>The environment the container belongs to.</summary>
    public const string Environment = "recipes.environment";

    /// <summary>Its slot, <c>blue</c> or <c>green</c>.</summary>
    public const string Slot = "recipes.slot";

    /// <summary>The ledger row of the deployment that started it.</summary>
    public const string LedgerId = "recipes.ledger-id";

    /// <summary>The image digest it runs, <c>sha256:…</c>.</summary>
    public const string Digest = "recipes.digest";
}
