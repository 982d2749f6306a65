using System.IO.Compression;
using Recipes.Versioning;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// A repository made by the template with its default feed (%HOME%/.recipes/feed), on a machine where that folder
/// does not exist: the first run names the team's feed on the command line, as the README's first steps do.
/// </summary>
[Trait("Category", "Slow")]
public sealed class FirstRunTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _temp = new("recipes-first-run");

    // A version of Recipes of this test alone and above any other (restore takes the lowest version at or above the
    // one asked for), so that no NuGet cache can serve it: only a feed can.
    private readonly string _version = $"999.0.0-first-run.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public void Dispose()
    {
        try
        {
            _temp.Dispose();
            var cached = Path.Combine(Testing.ToolPackagesFolder.Path, "recipes", _version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the OS to clean; never fails the test.
        }
    }

    [Fact]
    public void A_first_run_with_feed_restores_the_build_program_from_that_feed_or_says_in_one_line_what_to_change()
    {
        var repo = Path.Combine(_temp.Path, "shop");
        var feed = Path.Combine(_temp.Path, "team-feed");
        var hive = Path.Combine(_temp.Path, "template-hive");
        var empty = Path.Combine(_temp.Path, "empty-feed");
        // A new machine: no ~/.recipes/feed; the packages Recipes depends on stay cached (the suite runs offline).
        var environment = new Dictionary<string, string> { ["HOME"] = Path.Combine(_temp.Path, "home"), ["NUGET_PACKAGES"] = Testing.ToolPackagesFolder.Path };
        foreach (var folder in new[] { repo, feed, empty, environment["HOME"] })
        {
            Directory.CreateDirectory(folder);
        }

        Reversion(Path.Combine(RecipesPackages.Feed, $"Recipes.{RecipesPackages.Version}.nupkg"), Path.Combine(feed, $"Recipes.{_version}.nupkg"));

        Run(repo, "git", "init", "-q", "-b", "main");
        Run(repo, "dotnet", "new", "classlib", "-n", "Shop.Core", "-o", "src/Shop.Core");
        Run(repo, "dotnet", "new", "sln", "-n", "Shop", "--format", "sln");
        Run(repo, "dotnet", "sln", "Shop.sln", "add", "src/Shop.Core/Shop.Core.csproj");
        Run(repo, "dotnet", "new", "install", RecipesPackages.TemplatesPackage, "--debug:custom-hive", hive);
        Run(repo, "dotnet", "new", "recipes-build", "--recipes-version", _version, "--debug:custom-hive", hive);
        File.ReadAllText(Path.Combine(repo, "NuGet.config")).ShouldContain("%HOME%/.recipes/feed", customMessage: "the template's default feed");
        Run(repo, "git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "add", "-A");
        Run(repo, "git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", "Add the pipeline");

        var nowhere = ProcessRunner.Run("bash", [Path.Combine(repo, "build.sh"), $"--feed={empty}"], repo, Limit, environment);

        nowhere.ExitCode.ShouldBe(1, nowhere.All);
        nowhere.All.ShouldContain("error: could not restore build/Build.csproj (NU1");
        nowhere.All.ShouldContain("name the feed that holds the Recipes package in NuGet.config, or run ./build.sh --feed=<folder or URL of that feed>.");
        nowhere.All.Split('\n').Count(line => line.Contains("error", StringComparison.OrdinalIgnoreCase)).ShouldBe(1, $"one line, not NuGet's wall of text:\n{nowhere.All}");

        var first = ProcessRunner.Run("bash", [Path.Combine(repo, "build.sh"), $"--feed={feed}"], repo, Limit, environment);

        first.ExitCode.ShouldBe(0, first.All);
        var version = new GitVersionCalculator().Calculate(repo).SemVer;
        File.Exists(Path.Combine(feed, $"Shop.Core.{version}.nupkg")).ShouldBeTrue(
            $"Shop.Core {version} not in {feed}: {string.Join(", ", Directory.EnumerateFiles(feed).Select(Path.GetFileName))}\n{first.All}");
    }

    /// <summary>Copies a package under another version: the .nuspec's version is the one NuGet reads.</summary>
    private void Reversion(string package, string copy)
    {
        File.Copy(package, copy);
        using var zip = ZipFile.Open(copy, ZipArchiveMode.Update);
        var entry = zip.GetEntry("Recipes.nuspec")!;
        string nuspec;
        using (var reader = new StreamReader(entry.Open()))
        {
            nuspec = reader.ReadToEnd();
        }

        nuspec.ShouldContain($"<version>{RecipesPackages.Version}</version>");
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("Recipes.nuspec").Open());
        writer.Write(nuspec.Replace($"<version>{RecipesPackages.Version}</version>", $"<version>{_version}</version>", StringComparison.Ordinal));
    }

    private void Run(string directory, string file, params string[] args)
    {
        var result = ProcessRunner.Run(file, args, directory, Limit);
        result.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)}\n{result.All}");
    }
}
