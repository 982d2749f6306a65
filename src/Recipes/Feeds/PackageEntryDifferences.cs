using System.IO.Compression;
using System.Security.Cryptography;

namespace Recipes.Feeds;

/// <summary>
/// The files that differ between two builds of one package: entries whose contents differ, and entries only one of
/// them holds. NuGet's packaging parts (<c>_rels/</c>, <c>[Content_Types].xml</c>, <c>package/services/</c>) are
/// left out: they follow from the nuspec and the files, and a pack that is not deterministic names them at random.
/// </summary>
/// <param name="Changed">Entries both packages hold, with different contents.</param>
/// <param name="OnlyLocal">Entries only this build's package holds.</param>
/// <param name="OnlyInFeed">Entries only the feed's copy holds.</param>
internal sealed record PackageEntryDifferences(IReadOnlyList<string> Changed, IReadOnlyList<string> OnlyLocal, IReadOnlyList<string> OnlyInFeed)
{
    /// <summary>At most this many entries are listed; a message names the rest by number.</summary>
    public const int Listed = 10;

    /// <summary>Whether every file is the same, so only the zip itself (dates, order, packaging parts) differs.</summary>
    public bool SameFiles => Changed.Count == 0 && OnlyLocal.Count == 0 && OnlyInFeed.Count == 0;

    /// <summary>Compares the entries of two .nupkg streams by name and content, each list in ordinal order.</summary>
    /// <exception cref="InvalidDataException">One of the streams is not a zip archive.</exception>
    public static PackageEntryDifferences Compare(Stream local, Stream feed)
    {
        var localFiles = ContentDigests(local);
        var feedFiles = ContentDigests(feed);
        return new PackageEntryDifferences(
            localFiles.Keys.Where(name => feedFiles.TryGetValue(name, out var digest) && digest != localFiles[name]).Order(StringComparer.Ordinal).ToList(),
            localFiles.Keys.Where(name => !feedFiles.ContainsKey(name)).Order(StringComparer.Ordinal).ToList(),
            feedFiles.Keys.Where(name => !localFiles.ContainsKey(name)).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>One line per differing entry, the first <see cref="Listed"/> of them, then how many more there are.</summary>
    public IReadOnlyList<string> Lines()
    {
        var all = Changed.Select(name => $"{name} (changed)")
            .Concat(OnlyLocal.Select(name => $"{name} (only in this build's package)"))
            .Concat(OnlyInFeed.Select(name => $"{name} (only in the feed's copy)"))
            .ToList();
        return all.Count <= Listed ? all : [.. all.Take(Listed), $"... and {all.Count - Listed} more"];
    }

    private static Dictionary<string, string> ContentDigests(Stream package)
    {
        package.Position = 0;
        using var archive = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries.Where(e => !IsPackagingPart(e.FullName) && !e.FullName.EndsWith('/')))
        {
            using var content = entry.Open();
            digests[entry.FullName] = Convert.ToHexString(SHA256.HashData(content));
        }

        return digests;
    }

    private static bool IsPackagingPart(string name) =>
        name.StartsWith("_rels/", StringComparison.Ordinal)
        || name.StartsWith("package/services/", StringComparison.Ordinal)
        || name.Equals("[Content_Types].xml", StringComparison.Ordinal);
}
