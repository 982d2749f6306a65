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

    private static (string, string) Pack()
    {
        var root = Directory.CreateTempSubdirectory("recipes-packages-").FullName;
        var sources = Path.Combine(root, "sources");
        var feed = Path.Combine(root, "feed");
        Directory.CreateDirectory(sources);
        RepositoryLayout.CopyTo(sources, "src", "eng", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "LICENSE", "THIRD-PARTY-NOTICES.md");
        var version = $"0.0.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
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
            foreach (var folder in new[] { "recipes", "recipes.templates" }.Select(id => Path.Combine(Testing.ToolPackagesFolder.Path, id, version)).Append(root))
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
        };

        return (feed, version);
    }
}
