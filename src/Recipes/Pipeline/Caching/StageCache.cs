using System.Text.Json;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Caching;

/// <summary>
/// The stage cache of one repository: per stage, entries named by their inputs' key, each holding the stage's output
/// files and the inputs that made them, and the inputs of the stage's last entry, which a miss is compared with.
/// Lives outside the repository (<c>&lt;cache&gt;/&lt;repository&gt;-&lt;hash of its path&gt;/&lt;stage&gt;/&lt;key&gt;</c>).
/// </summary>
internal sealed class StageCache(string cacheRoot, string repositoryRoot, long limitBytes, Action<string> log)
{
    private const string EntryFile = "entry.json";
    private const string LastFile = "last.json";
    private const string FilesFolder = "files";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>This repository's folder: output files hold its absolute paths (obj/), so a clone elsewhere has its own.</summary>
    private string RepositoryFolder { get; } = Path.Combine(cacheRoot, Path.GetFileName(StateLocation.Default(cacheRoot, repositoryRoot)));

    /// <summary>Whether there is an entry for <paramref name="inputs"/>, said nowhere and leaving the entry as it is (<see cref="Find"/> says and uses it).</summary>
    public bool Has(string stage, StageInputs inputs)
    {
        var folder = Path.Combine(RepositoryFolder, stage, inputs.Key);
        return File.Exists(Path.Combine(folder, EntryFile)) && Directory.Exists(Path.Combine(folder, FilesFolder));
    }

    /// <summary>The entry for <paramref name="inputs"/>, said as a hit; or null, said as a miss that names what changed since the stage's last entry.</summary>
    public CachedStage? Find(string stage, StageInputs inputs)
    {
        var key = inputs.Key;
        var folder = Path.Combine(RepositoryFolder, stage, key);
        if (Has(stage, inputs))
        {
            // Used entries are kept longest: eviction removes the ones used least recently.
            File.SetLastWriteTimeUtc(Path.Combine(folder, EntryFile), DateTime.UtcNow);
            WriteLast(stage, key, inputs);
            log($"{stage}: from cache (key {Short(key)})");
            return new CachedStage(key, Path.Combine(folder, FilesFolder), JsonSerializer.Deserialize<Entry>(File.ReadAllText(Path.Combine(folder, EntryFile)))!.Data);
        }

        var last = ReadLast(stage);
        var why = last is null
            ? "no earlier entry for this stage and repository"
            : $"changed since the last entry ({Short(last.Key)}): {inputs.DescribeChangesSince(StageInputs.From(last.Inputs))}";
        log($"{stage}: not in cache (key {Short(key)}), running it; {why}");
        return null;
    }

    /// <summary>Keeps <paramref name="outputs"/> (files and folders inside the repository) as the entry for <paramref name="inputs"/>, then keeps the cache under its limit.</summary>
    /// <param name="stage">The stage's name.</param>
    /// <param name="inputs">What made the outputs.</param>
    /// <param name="outputs">Full paths of files and folders inside the repository; missing ones are skipped.</param>
    /// <param name="data">Small facts the replay needs besides files (e.g. the manifest's entries), or null.</param>
    public void Save(string stage, StageInputs inputs, IEnumerable<string> outputs, string? data = null)
    {
        var key = inputs.Key;
        var folder = Path.Combine(RepositoryFolder, stage, key);
        outputs = [.. outputs];
        if (outputs.FirstOrDefault(o => Path.GetRelativePath(repositoryRoot, o) is var relative && (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))) is { } outside)
        {
            // Replayed files go back by their place in the repository; one outside it has none.
            log($"{stage}: not kept in the cache, as its output {outside} is outside the repository");
            return;
        }

        var staging = folder + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var files = Path.Combine(staging, FilesFolder);
            Directory.CreateDirectory(files);
            foreach (var output in outputs)
            {
                CopyInto(output, repositoryRoot, files);
            }

            File.WriteAllText(Path.Combine(staging, EntryFile), JsonSerializer.Serialize(new Entry(stage, inputs.Values, data), Json));
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            // Whole or not at all: a run killed while copying leaves only a .partial folder, which is never read.
            Directory.Move(staging, folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log($"{stage}: not kept in the cache ({exception.Message}); the next run builds it again");
            TryDelete(staging);
            return;
        }

        WriteLast(stage, key, inputs);
        new StageCacheEviction(cacheRoot, limitBytes, log).Run(keep: folder);
    }

    /// <summary>The first 12 characters of a key, as the log shows it.</summary>
    public static string Short(string key) => key[..Math.Min(12, key.Length)];

    private static void CopyInto(string output, string root, string target)
    {
        var relative = Path.GetRelativePath(root, output);
        if (File.Exists(output))
        {
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(output, destination, overwrite: true);
        }
        else if (Directory.Exists(output))
        {
            foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories))
            {
                CopyInto(file, root, target);
            }
        }
    }

    private void WriteLast(string stage, string key, StageInputs inputs)
    {
        var path = Path.Combine(RepositoryFolder, stage, LastFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new Last(key, inputs.Values), Json));
    }

    private Last? ReadLast(string stage)
    {
        var path = Path.Combine(RepositoryFolder, stage, LastFile);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<Last>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            // Only explains misses; a damaged one explains none.
            return null;
        }
    }

    internal static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A folder another run still writes; the next eviction removes it.
        }
    }

    private sealed record Entry(string Stage, IReadOnlyDictionary<string, string> Inputs, string? Data);

    private sealed record Last(string Key, IReadOnlyDictionary<string, string> Inputs);
}

/// <summary>A stage's cached outputs: their files, laid out as in the repository, and the stage's own facts.</summary>
internal sealed record CachedStage(string Key, string Files, string? Data)
{
    /// <summary>Copies every cached file back to its place under <paramref name="repositoryRoot"/>, replacing what is there.</summary>
    public void RestoreInto(string repositoryRoot)
    {
        foreach (var file in Directory.EnumerateFiles(Files, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(repositoryRoot, Path.GetRelativePath(Files, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
