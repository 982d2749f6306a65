using NuGet.Versioning;
using Recipes.Feeds;

namespace Recipes.Pipeline.Settings;

/// <summary>
/// Parsers and checks for setting values. A check returns why a value is wrong, as a phrase that follows the quoted
/// value in the error ("'htp:/x' is neither a folder path nor an http(s) URL"), or null when the value is fine.
/// </summary>
internal static class SettingChecks
{
    private static readonly char[] ListSeparators = [',', ';'];

    public static bool ParseBoolean(string text) =>
        bool.TryParse(text.Trim(), out var value) ? value : throw new SettingValueException("is not true or false");

    public static int ParsePositive(string text) =>
        int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new SettingValueException("is not a whole number above 0");

    /// <summary>
    /// The stage cache's folder: outside the repository, or inside it only in a dot-folder (GitLab's cache keeps only the
    /// project's folder). Elsewhere inside, a project's default globs would compile its cached obj/ files.
    /// </summary>
    public static string? CacheFolder(string folder, string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder, root));
        var relative = Path.GetRelativePath(Path.GetFullPath(root), full);
        var inside = relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
        var inDotFolder = relative.Split(Path.DirectorySeparatorChar).Any(part => part.Length > 1 && part[0] == '.' && part != "..");
        return inside && !inDotFolder
            ? "is inside the repository; choose a folder outside it, such as ~/.recipes/cache, or, where the CI server caches only the project's folder (GitLab), a dot-folder such as .recipes-cache"
            : null;
    }

    public static List<string> SplitList(string text) =>
        [.. text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static string? JoinList(IEnumerable<string> items) =>
        items.Any() ? string.Join(",", items) : null;

    /// <summary>
    /// Expands <c>%VARIABLE%</c> and a leading <c>~/</c>, as NuGet.config does, so that a committed file can name a
    /// per-user folder (the template writes <c>%HOME%/.recipes/feed</c>).
    /// </summary>
    public static string ExpandHome(string text)
    {
        var expanded = Environment.ExpandEnvironmentVariables(text.Trim());
        return expanded == "~" || expanded.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), expanded.TrimStart('~').TrimStart('/'))
            : expanded;
    }

    public static string? NotEmpty(string? value, string expected) =>
        string.IsNullOrWhiteSpace(value) ? $"is empty; give {expected}" : null;

    /// <summary>A feed: an http(s) URL with a host, or a folder that exists or can be created.</summary>
    public static string? Feed(string value, string root)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            return "is empty; give a folder path or the http(s) URL of a NuGet v3 service index";
        }

        // The same rule PackageFeeds.Open applies: a scheme and a slash make a URL, anything else (C:\feed too) a path.
        if (!PackageFeeds.LooksLikeUrl(text))
        {
            return Folder(text, root);
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.IsFile)
        {
            return Folder(url.LocalPath, root);
        }

        return url is not null && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.Host.Length > 0
            ? null
            : "is neither a folder path nor an http(s) URL; a feed URL looks like https://host/v3/index.json";
    }

    /// <summary>A folder that exists, or that can be created because its nearest existing ancestor is a folder.</summary>
    public static string? Folder(string path, string root)
    {
        if (NotEmpty(path, "a folder path") is { } empty)
        {
            return empty;
        }

        if (FullPath(path, root) is not { } full)
        {
            return "is not a valid path";
        }

        if (System.IO.File.Exists(full))
        {
            return $"is a file, not a folder ({full})";
        }

        var ancestor = Path.GetDirectoryName(full);
        while (ancestor is not null && !Directory.Exists(ancestor))
        {
            if (System.IO.File.Exists(ancestor))
            {
                return $"cannot be created as a folder: {ancestor} is a file";
            }

            ancestor = Path.GetDirectoryName(ancestor);
        }

        return null;
    }

    /// <summary>A file or folder that exists.</summary>
    public static string? Exists(string path, string root) =>
        FullPath(path, root) is not { } full ? "is not a valid path"
        : System.IO.File.Exists(full) || Directory.Exists(full) ? null
        : $"does not exist (looked for {full})";

    /// <summary>A solution file, or a folder where exactly one solution is found (in it, or below it when it has none).</summary>
    public static string? Solution(string path, string root)
    {
        if (Exists(path, root) is { } problem)
        {
            return problem;
        }

        if (FullPath(path, root) is not { } full || !Directory.Exists(full))
        {
            return null;
        }

        var found = Discovery.SolutionLocator.Search(full).Found;
        return found.Count switch
        {
            1 => null,
            0 => "is a folder with no solution (*.sln, *.slnx) in it or below it",
            _ => $"is a folder with {found.Count} solutions ({string.Join(", ", found.Select(s => Path.GetRelativePath(full, s)))}); name the solution file",
        };
    }

    /// <summary>A file that exists.</summary>
    public static string? File(string path, string root) =>
        FullPath(path, root) is not { } full ? "is not a valid path"
        : System.IO.File.Exists(full) ? null
        : Directory.Exists(full) ? $"is a folder, not a file ({full})"
        : $"does not exist (looked for {full})";

    /// <summary>A strict SemVer 2.0 version: three numbers, then an optional pre-release label and build metadata.</summary>
    public static string? SemVer(string text) =>
        SemanticVersion.TryParse(text.Trim(), out _) ? null : "is not a SemVer 2.0 version such as 1.4.0 or 2.0.0-rc.1";

    /// <summary>A name an environment variable can have.</summary>
    public static string? VariableName(string name) =>
        NotEmpty(name, "the name of an environment variable") is { } empty ? empty
        : name.Any(c => c == '=' || c == '\0' || char.IsWhiteSpace(c)) ? "is not an environment variable name"
        : null;

    /// <summary>The absolute path of <paramref name="path"/> against the repository root, or null when it is not a path.</summary>
    public static string? FullPath(string path, string root)
    {
        try
        {
            return Path.GetFullPath(path.Trim(), root);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }
}
