namespace Recipes.Pipeline.Caching;

/// <summary>
/// Keeps the whole cache (every repository's entries) under its size limit: the entries used least recently go
/// first, never the one just written. Unfinished (.partial) folders older than an hour go too: a killed run's.
/// </summary>
internal sealed class StageCacheEviction(string cacheRoot, long limitBytes, Action<string> log)
{
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>Removes entries until the cache fits; <paramref name="keep"/> stays whatever its size.</summary>
    public void Run(string keep)
    {
        // <root>/<repository>/<stage>/<key>: an entry is a folder with an entry.json, last used when that file was written.
        var entries = Directory.EnumerateDirectories(cacheRoot)
            .SelectMany(Directory.EnumerateDirectories)
            .SelectMany(Directory.EnumerateDirectories)
            .ToList();
        foreach (var abandoned in entries.Where(e => e.Contains(".partial-", StringComparison.Ordinal) && Directory.GetLastWriteTimeUtc(e) < DateTime.UtcNow - AbandonedAfter))
        {
            StageCache.TryDelete(abandoned);
        }

        var kept = entries
            .Where(e => File.Exists(Path.Combine(e, "entry.json")))
            .Select(e => (Folder: e, Used: File.GetLastWriteTimeUtc(Path.Combine(e, "entry.json")), Size: SizeOf(e)))
            .OrderBy(e => e.Used)
            .ToList();
        var total = kept.Sum(e => e.Size);
        foreach (var entry in kept.Where(e => e.Folder != keep))
        {
            if (total <= limitBytes)
            {
                break;
            }

            StageCache.TryDelete(entry.Folder);
            total -= entry.Size;
            log($"Stage cache over its limit ({limitBytes / (1024 * 1024)} MB): removed the entry used least recently, {Path.GetRelativePath(cacheRoot, entry.Folder)}");
        }
    }

    private static long SizeOf(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
