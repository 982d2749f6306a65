using Recipes.Artifacts;

namespace Recipes.Deployment.Docker;

/// <summary>The image of one deployable as the commit stage pushed it: what the docker target pulls, by digest.</summary>
internal static class ReleaseImage
{
    /// <summary>
    /// The image the manifest at <paramref name="manifestPath"/> records for <paramref name="entry"/> (its typed
    /// <see cref="ArtifactEntry.Image"/>), checked to be pinned by a sha256 digest.
    /// </summary>
    /// <exception cref="RecipeException">The entry has no image, or an image without repository, tag or sha256 digest.</exception>
    public static ContainerImage Of(ArtifactEntry entry, string manifestPath)
    {
        if (entry.Image is not { } image)
        {
            throw new RecipeException(
                $"{manifestPath} records no image for {entry.Id} {entry.Version}: the docker target deploys the image the commit stage pushed; set 'registry' (or RECIPES_REGISTRY) and run ./build.sh --target=CommitStage.");
        }

        if (string.IsNullOrEmpty(image.Repository) || string.IsNullOrEmpty(image.Tag))
        {
            throw new RecipeException($"{manifestPath}: the image of {entry.Id} {entry.Version} has no repository or tag; run the commit stage again to rewrite it.");
        }

        ImageDigest.Require(image.Digest, image.Repository);
        return image;
    }
}
