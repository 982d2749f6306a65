using System.Text.RegularExpressions;

namespace Recipes.Artifacts.Images;

/// <summary>
/// The names of registries, repositories and tags, as the distribution spec allows them: checks for the settings and
/// the names the recipe gives an app's image (<c>registry/path/&lt;lower-cased package id&gt;:&lt;version&gt;</c>).
/// </summary>
internal static partial class ImageReferences
{
    /// <summary>Why <paramref name="registry"/> is not <c>host[:port][/path]</c>, as a phrase after the quoted value, or null.</summary>
    public static string? CheckRegistry(string registry)
    {
        var text = registry.Trim();
        if (text.Length == 0)
        {
            return "is empty; give the registry as host[:port][/path], such as 127.0.0.1:5000 or registry.example.com/team";
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return "has a scheme; give the registry as host[:port][/path] without http:// or https://";
        }

        var (host, path) = Split(text);
        return !HostPattern().IsMatch(host) ? "does not start with a host name or address (and optional :port); give host[:port][/path]"
            : path.Length > 0 && !RepositoryPattern().IsMatch(path) ? $"has the path '{path}', which is not lower-case letters, digits and . _ - separated by /"
            : null;
    }

    /// <summary>Why <paramref name="image"/> is not an image reference (<c>[registry/]repository[:tag][@sha256:digest]</c>), or null.</summary>
    public static string? CheckImage(string image) =>
        ImagePattern().IsMatch(image.Trim())
            ? null
            : "is not an image reference; give [registry/]repository[:tag] or [registry/]repository@sha256:<64 hex>, such as 127.0.0.1:5000/aspnet:10.0";

    /// <summary>The registry's host (with port) and the path its repositories go under (empty when none).</summary>
    public static (string Host, string Path) Split(string registry)
    {
        var text = registry.Trim().TrimEnd('/');
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (text, "") : (text[..slash], text[(slash + 1)..]);
    }

    /// <summary>The repository of a package's image: the registry's path, then the package id in lower case (repositories are lower case).</summary>
    public static string RepositoryFor(string registry, string packageId)
    {
        var (_, path) = Split(registry);
        var name = InvalidRepositoryCharacters().Replace(packageId.ToLowerInvariant(), "-").Trim('-', '.', '_');
        return path.Length == 0 ? name : $"{path}/{name}";
    }

    /// <summary>The tag of a version: SemVer's '+' (build metadata) is not allowed in a tag, so it becomes '-'.</summary>
    public static string TagFor(string version)
    {
        var tag = InvalidTagCharacters().Replace(version, "-");
        return tag.Length > 128 ? tag[..128] : tag;
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^([A-Za-z0-9.-]+(:[0-9]{1,5})?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$")]
    private static partial Regex ImagePattern();

    [GeneratedRegex(@"[^a-z0-9._/-]+")]
    private static partial Regex InvalidRepositoryCharacters();

    [GeneratedRegex(@"[^A-Za-z0-9_.-]")]
    private static partial Regex InvalidTagCharacters();
}
