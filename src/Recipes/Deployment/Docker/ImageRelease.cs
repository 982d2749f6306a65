using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Docker;

/// <summary>A release of the docker target: an image the engine has pulled by digest.</summary>
/// <param name="Id">The deployable's id.</param>
/// <param name="Version">Its version, which is also the image's tag.</param>
/// <param name="Repository">The image repository, such as <c>127.0.0.1:5000/service</c>.</param>
/// <param name="Digest">The image's digest, <c>sha256:…</c>.</param>
internal sealed record ImageRelease(string Id, string Version, string Repository, string Digest) : IPreparedRelease
{
    /// <inheritdoc />
    public string ShortDigest => Digest.Replace("sha256:", "", StringComparison.Ordinal)[..12];

    /// <inheritdoc />
    public string Location => $"{Repository}@{Digest}";
}
