using System.Text.RegularExpressions;

namespace Recipes.Deployment.Docker;

/// <summary>An image's content digest, <c>sha256:</c> and 64 lowercase hex digits: what the docker target deploys by.</summary>
internal static partial class ImageDigest
{
    /// <summary>Whether <paramref name="digest"/> is a well-formed sha256 digest.</summary>
    public static bool IsValid(string? digest) => digest is not null && Sha256().IsMatch(digest);

    /// <summary>Refuses anything but a sha256 digest, so that no image is ever pulled or started by tag.</summary>
    /// <exception cref="RecipeException">The digest is malformed.</exception>
    public static void Require(string? digest, string repository)
    {
        if (!IsValid(digest))
        {
            throw new RecipeException(
                $"Image digest '{digest}' of {repository} is not sha256:<64 hex digits>: the docker target pulls images by digest only; rebuild with the commit stage so that artifacts/manifest.json records it.");
        }
    }

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256();
}
