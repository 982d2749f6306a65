using System.Net;
using System.Net.Http.Headers;

namespace Recipes.Deployment.Docker;

/// <summary>
/// Asks a registry what digest a tag points to now (the distribution API's manifest HEAD), so that a tag re-pushed
/// with other content is refused before anything starts: images are immutable like packages.
/// </summary>
internal sealed class RegistryTags(HttpClient http)
{
    // An image index or a single manifest, whichever was pushed: the digest is that of what the tag names.
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    /// <summary>The digest <paramref name="repository"/>:<paramref name="tag"/> points to in its registry.</summary>
    /// <param name="repository">Such as <c>127.0.0.1:5000/service</c>; the registry is its first part.</param>
    /// <param name="tag">Such as <c>1.4.0</c>.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="RecipeException">The registry cannot be reached, or has no such tag.</exception>
    public async Task<string> ResolveAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var (registry, name) = Split(repository);
        var scheme = IsLoopback(registry) ? "http" : "https";
        using var request = new HttpRequestMessage(HttpMethod.Head, $"{scheme}://{registry}/v2/{name}/manifests/{tag}");
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new RecipeException($"Registry {registry} cannot be reached ({exception.Message.TrimEnd('.')}): start it or fix the environment's image repository '{repository}'.", exception);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new RecipeException($"Registry {registry} has no tag {tag} of {name}: run the commit stage to push it.");
            }

            if (!response.IsSuccessStatusCode
                || !response.Headers.TryGetValues("Docker-Content-Digest", out var digests)
                || digests.FirstOrDefault() is not { } digest
                || !ImageDigest.IsValid(digest))
            {
                throw new RecipeException($"Registry {registry} did not say what {name}:{tag} points to (HTTP {(int)response.StatusCode}).");
            }

            return digest;
        }
    }

    /// <summary>Refuses to go on when <paramref name="tag"/> no longer points at <paramref name="expectedDigest"/>.</summary>
    /// <exception cref="RecipeException">The tag was re-pushed with other content, or cannot be resolved.</exception>
    public async Task RequireUnchangedAsync(string repository, string tag, string expectedDigest, CancellationToken cancellationToken)
    {
        var digest = await ResolveAsync(repository, tag, cancellationToken);
        if (!string.Equals(digest, expectedDigest, StringComparison.Ordinal))
        {
            throw new RecipeException(
                $"Image {repository}:{tag} was re-tagged: the registry has {digest}, the manifest recorded {expectedDigest}; images are immutable, so publish a new version instead of overwriting a tag.");
        }
    }

    /// <summary>The registry host and the repository's name in it; Docker Hub when the first part is no host.</summary>
    internal static (string Registry, string Name) Split(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = repository[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                return (first, repository[(slash + 1)..]);
            }
        }

        return ("registry-1.docker.io", repository.Contains('/', StringComparison.Ordinal) ? repository : $"library/{repository}");
    }

    private static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)] : registry.Split(':')[0];
        return host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
