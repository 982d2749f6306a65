using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Recipes.Versioning;

namespace Recipes.Pipeline.Caching;

/// <summary>
/// The inputs every cached stage shares, worked out once per run: the content hash of each file git tracks (and of
/// each new file it does not ignore, which a build compiles too), the SDK, and the recipe's version.
/// </summary>
/// <param name="repositoryRoot">The repository's root.</param>
/// <param name="notInputs">Folders whose files are never inputs, when inside the repository: the artifacts a run writes,
/// a NuGet packages folder and the stage cache, which a CI server keeps in the working tree (GitLab's cache can keep nothing else).</param>
internal sealed class RunInputs(string repositoryRoot, IEnumerable<string?> notInputs)
{
    private static readonly TimeSpan ToolLimit = TimeSpan.FromMinutes(1);
    private IReadOnlyDictionary<string, string>? _files;
    private string? _sdk;

    /// <summary>Content hashes (SHA-256) by path relative to the root, with '/' separators.</summary>
    public IReadOnlyDictionary<string, string> Files => _files ??= HashFiles();

    /// <summary>The SDK dotnet resolves in the repository, and what global.json asks for when there is one.</summary>
    public string Sdk => _sdk ??= DescribeSdk();

    /// <summary>The recipe's own version: another recipe may build, test or pack the same inputs differently.</summary>
    public static string RecipeVersion { get; } =
        typeof(RunInputs).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private Dictionary<string, string> HashFiles()
    {
        var listed = ToolProcess.Run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], repositoryRoot, ToolLimit, new Dictionary<string, string?>());
        if (listed.ExitCode != 0)
        {
            throw new RecipeException($"git ls-files failed in {repositoryRoot} ({listed.Error.Trim()}); the stage cache needs a git repository, or run with --no-cache.");
        }

        var excluded = notInputs.OfType<string>().Where(f => f.Length > 0)
            .Select(f => Path.GetRelativePath(repositoryRoot, Path.GetFullPath(f, repositoryRoot)).Replace('\\', '/').TrimEnd('/') + "/")
            .Where(f => !f.StartsWith("../", StringComparison.Ordinal))
            .ToList();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in listed.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim('\r', '\n')).Distinct(StringComparer.Ordinal))
        {
            var full = Path.Combine(repositoryRoot, path);
            // A deleted tracked file is an input that went away; what a run writes (artifacts) is never an input.
            if (excluded.Any(folder => path.StartsWith(folder, StringComparison.Ordinal)) || !File.Exists(full))
            {
                continue;
            }

            using var stream = File.OpenRead(full);
            hashes[path] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        return hashes;
    }

    private string DescribeSdk()
    {
        var resolved = ToolProcess.Run(DotnetHost.Path(), ["--version"], repositoryRoot, ToolLimit, new Dictionary<string, string?>());
        var version = resolved.ExitCode == 0 ? resolved.Output.Trim() : $"unresolved ({resolved.Error.Trim()})";
        return GlobalJsonSdk(Path.Combine(repositoryRoot, "global.json")) is { } asked ? $"{version}, global.json {asked}" : version;
    }

    /// <summary>global.json's sdk.version and rollForward, or null when there is no such file or version.</summary>
    private static string? GlobalJsonSdk(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!document.RootElement.TryGetProperty("sdk", out var sdk) || sdk.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var version = sdk.TryGetProperty("version", out var v) ? v.GetString() : null;
            var rollForward = sdk.TryGetProperty("rollForward", out var r) ? r.GetString() : null;
            return version is null ? null : rollForward is null ? version : $"{version} rollForward {rollForward}";
        }
        catch (JsonException)
        {
            // dotnet itself reports a broken global.json; its hash is still an input as a tracked file.
            return "unreadable";
        }
    }
}
