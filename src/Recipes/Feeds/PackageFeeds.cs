using System.Text.RegularExpressions;

namespace Recipes.Feeds;

/// <summary>Opens the feed a setting names: an http(s) URL is a NuGet v3 server, anything else a folder.</summary>
public static partial class PackageFeeds
{
    /// <summary>Opens <paramref name="pathOrUrl"/> as a feed.</summary>
    /// <param name="pathOrUrl">The service index URL (<c>https://host/v3/index.json</c>), or a folder path; a relative path is taken against the current directory.</param>
    /// <param name="apiKey">The key for pushes to a server; a folder needs none.</param>
    /// <param name="log">Receives progress lines; they never contain the key.</param>
    /// <exception cref="FeedConfigurationException">Nothing was given, or a URL is malformed or not http(s).</exception>
    public static IPackageFeed Open(string pathOrUrl, string? apiKey, Action<string>? log = null)
    {
        if (string.IsNullOrWhiteSpace(pathOrUrl))
        {
            throw new FeedConfigurationException("no feed was given; set it to a folder path or to the http(s) URL of a NuGet v3 service index");
        }

        var text = pathOrUrl.Trim();
        if (!LooksLikeUrl(text))
        {
            return new FolderFeed(Path.GetFullPath(text), log);
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.IsFile)
        {
            return new FolderFeed(url.LocalPath, log);
        }

        if (url is null || string.IsNullOrEmpty(url.Host))
        {
            throw new FeedConfigurationException($"'{Shown(text, apiKey)}' is not a valid URL; give the feed's NuGet v3 service index, such as https://host/v3/index.json, or a folder path");
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw new FeedConfigurationException($"'{Shown(text, apiKey)}' uses {url.Scheme}:, which Recipes cannot push to; give an http(s) URL of a NuGet v3 service index or a folder path");
        }

        return new HttpFeed(url, apiKey, log);
    }

    /// <summary>A scheme followed by "://" (one letter would be a Windows drive such as C:\).</summary>
    internal static bool LooksLikeUrl(string text) => UrlScheme().IsMatch(text);

    /// <summary>A feed setting fit to print: user info in a URL (<c>https://user:token@host</c>) is masked.</summary>
    internal static string MaskCredentials(string text) => UserInfo().Replace(text, "://***@");

    /// <summary>The text for an error message, with the key and any user info masked (a malformed URL cannot be parsed to drop them).</summary>
    private static string Shown(string text, string? apiKey)
    {
        var masked = MaskCredentials(text);
        return string.IsNullOrEmpty(apiKey) ? masked : masked.Replace(apiKey, "***", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]+:/")]
    private static partial Regex UrlScheme();

    [GeneratedRegex(@"://[^/@]*@")]
    private static partial Regex UserInfo();
}
