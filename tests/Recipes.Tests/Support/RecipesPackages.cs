namespace Recipes.Tests.Support;

/// <summary>
/// The Recipes and Recipes.Templates packages of this source tree, packed once per test run with a version of their
/// own into a temporary folder feed, as a platform team would publish them.
/// </summary>
internal static class RecipesPackages
{
    private static readonly Lazy<(string Feed, string Version)> Packed = new(Pack);

    /// <summary>The folder feed holding both packages.</summary>
    public static string Feed => Packed.Value.Feed;

    /// <summary>The packages' version, unique to this test run so no NuGet cache can serve an older build.</summary>
    public static string Version => Packed.Value.Version;

    public static string TemplatesPackage => Path.Combine(Feed, $"Recipes.Templates.{Version}.nupkg");

    private const string RootPrefix = "recipes-packages-";
    private const string VersionPrefix = "0.0.0-e2e.";
    private static readonly string[] PackageIds = ["recipes", "recipes.templates"];

    private static (string, string) Pack()
    {
        DeleteLeftoversOfEndedRuns();
        var root = Directory.CreateTempSubdirectory($"{RootPrefix}{Environment.ProcessId}-").FullName;
        var sources = Path.Combine(root, "sources");
        var feed = Path.Combine(root, "feed");
        Directory.CreateDirectory(sources);
        RepositoryLayout.CopyTo(sources, "src", "eng", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "LICENSE", "THIRD-PARTY-NOTICES.md");
        var version = $"{VersionPrefix}{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        foreach (var project in new[] { "src/Recipes/Recipes.csproj", "src/Recipes.Templates/Recipes.Templates.csproj" })
        {
            // Built, then packed without a build, the way the pipeline's own Package stage packs what Compile built.
            foreach (var command in new[] { "build", "pack" })
            {
                var run = ProcessRunner.Run("dotnet", [command, project, "-c", "Release", $"-p:Version={version}", .. command == "pack" ? ["--no-build", "-o", feed] : Array.Empty<string>()], sources, TimeSpan.FromMinutes(5));
                if (run.ExitCode != 0)
                {
                    throw new InvalidOperationException($"dotnet {command} {project} failed:\n{run.All}");
                }
            }
        }

        using (var recipes = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"Recipes.{version}.nupkg")))
        {
            if (recipes.GetEntry("tools/router/Recipes.Router.dll") is null)
            {
                throw new InvalidOperationException("The Recipes package has no tools/router/Recipes.Router.dll: the Deploy targets of a team's build would find no router.");
            }
        }

        foreach (var symbols in Directory.EnumerateFiles(feed, "*.snupkg"))
        {
            File.Delete(symbols);
        }

        // The copy and its build outputs (80 MB) are done with; the feed alone is used.
        Directory.Delete(sources, recursive: true);

        // The unique version must not pile up in the NuGet cache across runs, nor the feed (85 MB) in the temp folder.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var folder in PackageIds.Select(id => Path.Combine(Testing.ToolPackagesFolder.Path, id, version)).Append(root))
            {
                TryDelete(folder);
            }
        };

        return (feed, version);
    }

    /// <summary>
    /// The exit handler above does not always get to run (the test host can be ended before it has, as after a
    /// filtered run): what a run whose process is gone left (its feed in the temp folder, its version in the NuGet
    /// cache, both named by its pid) is deleted by the next run that packs.
    /// </summary>
    private static void DeleteLeftoversOfEndedRuns()
    {
        var roots = Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*")
            .Select(folder => (Folder: folder, Pid: Path.GetFileName(folder)[RootPrefix.Length..].Split('-')[0]));
        var versions = PackageIds
            .Select(id => Path.Combine(Testing.ToolPackagesFolder.Path, id))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateDirectories(folder, VersionPrefix + "*"))
            .Select(folder => (Folder: folder, Pid: Path.GetFileName(folder).Split('.')[^1]));
        foreach (var (folder, pid) in roots.Concat(versions).ToList())
        {
            if (int.TryParse(pid, out var owner) && !IsRunning(owner))
            {
                TryDelete(folder);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
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
            // Best effort: a later run does not depend on it.
        }
    }
}
