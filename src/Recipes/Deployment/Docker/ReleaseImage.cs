using System.Text.Json;

namespace Recipes.Deployment.Docker;

/// <summary>The image of one deployable as the commit stage pushed it: what the docker target pulls, by digest.</summary>
/// <param name="Repository">Such as <c>127.0.0.1:5000/service</c>.</param>
/// <param name="Tag">The commit's version, such as <c>1.4.0</c>.</param>
/// <param name="Digest">The manifest's digest in the registry, <c>sha256:…</c>.</param>
internal sealed record ReleaseImage(string Repository, string Tag, string Digest)
{
    /// <summary>The reference to start containers from: by digest, never by tag.</summary>
    public string Reference => $"{Repository}@{Digest}";

    /// <summary>
    /// The image the manifest records for <paramref name="artifact"/> <paramref name="version"/>, from the
    /// <c>image: {repository, tag, digest}</c> field of its entry in <c>artifacts/manifest.json</c>.
    /// </summary>
    /// <remarks>Read from the JSON itself, so that the docker target needs no more of the manifest than that one field.</remarks>
    /// <exception cref="RecipeException">The manifest has no image for it, or an image without a sha256 digest.</exception>
    public static ReleaseImage FromManifest(string manifestPath, string artifact, string version)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var entry = document.RootElement.TryGetProperty("artifacts", out var artifacts) && artifacts.ValueKind == JsonValueKind.Array
            ? artifacts.EnumerateArray().FirstOrDefault(candidate =>
                string.Equals(Text(candidate, "id"), artifact, StringComparison.OrdinalIgnoreCase) && Text(candidate, "version") == version)
            : default;
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("image", out var image) || image.ValueKind != JsonValueKind.Object)
        {
            throw new RecipeException(
                $"{manifestPath} records no image for {artifact} {version}: the docker target deploys the image the commit stage pushed; set 'registry' (or RECIPES_REGISTRY) and run ./build.sh --target=CommitStage.");
        }

        var repository = Text(image, "repository");
        var tag = Text(image, "tag");
        var digest = Text(image, "digest");
        if (string.IsNullOrEmpty(repository) || string.IsNullOrEmpty(tag))
        {
            throw new RecipeException($"{manifestPath}: the image of {artifact} {version} has no repository or tag; run the commit stage again to rewrite it.");
        }

        ImageDigest.Require(digest, repository);
        return new ReleaseImage(repository, tag, digest!);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
