using Recipes.Versioning;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// A team adopts Recipes from the packages alone: a fresh repository with a small web app, the template from the
/// local feed, then ./build.sh, fully offline.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TemplateTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _temp = new("recipes-template");

    public void Dispose() => _temp.Dispose();

    private ProcessResult Run(string directory, string file, params string[] args)
    {
        var result = ProcessRunner.Run(file, args, directory, Limit);
        result.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)}\n{result.All}");
        return result;
    }

    [Fact]
    public void A_fresh_repository_gets_the_whole_pipeline_from_the_template_and_publishes_its_app()
    {
        var repo = Path.Combine(_temp.Path, "shop");
        var feed = Path.Combine(_temp.Path, "team-feed");
        var hive = Path.Combine(_temp.Path, "template-hive");
        Directory.CreateDirectory(repo);
        // The team's feed already holds the recipe, published by the platform team.
        Directory.CreateDirectory(feed);
        foreach (var package in Directory.EnumerateFiles(RecipesPackages.Feed, "Recipes.*.nupkg"))
        {
            File.Copy(package, Path.Combine(feed, Path.GetFileName(package)));
        }

        Run(repo, "git", "init", "-q", "-b", "main");
        Run(repo, "dotnet", "new", "web", "-n", "Shop.Web", "-o", "src/Shop.Web");
        Run(repo, "dotnet", "new", "sln", "-n", "Shop", "--format", "sln");
        Run(repo, "dotnet", "sln", "Shop.sln", "add", "src/Shop.Web/Shop.Web.csproj");
        Run(repo, "dotnet", "new", "install", Path.Combine(feed, $"Recipes.Templates.{RecipesPackages.Version}.nupkg"), "--debug:custom-hive", hive);
        Run(repo, "dotnet", "new", "recipes-build", "--recipe", "service", "--feed", feed, "--debug:custom-hive", hive);
        Run(repo, "git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "add", "-A");
        Run(repo, "git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", "Add the pipeline");

        var build = ProcessRunner.Run("bash", [Path.Combine(repo, "build.sh")], repo, Limit);

        build.ExitCode.ShouldBe(0, build.All);
        var version = new GitVersionCalculator().Calculate(repo).SemVer;
        File.Exists(Path.Combine(feed, $"Shop.Web.{version}.nupkg")).ShouldBeTrue(
            $"Shop.Web {version} not in {feed}: {string.Join(", ", Directory.EnumerateFiles(feed).Select(Path.GetFileName))}\n{build.All}");

        // The team turns one stage off and replaces another with its own task, in a few lines of its build project.
        File.WriteAllText(Path.Combine(repo, "build", "Program.cs"), """
            using Recipes.Hosting;
            using Recipes.Pipeline;
            using Recipes.Pipeline.Tasks;

            return new CakeHost()
                .UseRecipe()
                .ConfigureTasks(tasks => tasks
                    .TurnOff<Publish>("published by the release job")
                    .Replace<FastTests, SmokeChecks>())
                .Run(args);
            """);
        File.WriteAllText(Path.Combine(repo, "build", "SmokeChecks.cs"), """
            using Cake.Common.Diagnostics;
            using Recipes.Hosting;
            using Recipes.Pipeline;

            public sealed class SmokeChecks : FrostingTask<RecipeContext>
            {
                public override void Run(RecipeContext context) => context.Information("Smoke checks of the team ran");
            }
            """);

        var customized = ProcessRunner.Run("bash", [Path.Combine(repo, "build.sh"), "--target=CommitStage"], repo, Limit);

        customized.ExitCode.ShouldBe(0, customized.All);
        customized.Output.ShouldContain("Smoke checks of the team ran");
        customized.Output.ShouldMatch(@"FastTests\s+\d\d:\d\d:\d\d");
        customized.Output.ShouldMatch(@"Publish\s+-\s+Skipped\s+published\s+by\s+the\s+release\s+job");
    }

    [Theory]
    [InlineData("library")]
    [InlineData("service")]
    public void The_ready_recipes_are_exactly_what_the_template_produces(string recipe)
    {
        var output = Path.Combine(_temp.Path, recipe);
        var hive = Path.Combine(_temp.Path, "hive-" + recipe);
        Directory.CreateDirectory(output);
        Run(output, "dotnet", "new", "install", RecipesPackages.TemplatesPackage, "--debug:custom-hive", hive);

        Run(output, "dotnet", "new", "recipes-build", "--recipe", recipe, "--recipes-version", "*-*", "--debug:custom-hive", hive);

        var sample = Path.Combine(RepositoryLayout.Root, "recipes", recipe);
        var generated = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).ToList();
        generated.Count.ShouldBeGreaterThanOrEqualTo(6);
        foreach (var file in generated)
        {
            var relative = Path.GetRelativePath(output, file);
            var counterpart = Path.Combine(sample, relative);
            File.Exists(counterpart).ShouldBeTrue($"recipes/{recipe}/{relative} is missing");
            File.ReadAllText(counterpart).ShouldBe(File.ReadAllText(file), $"recipes/{recipe}/{relative} differs from the template's output");
        }
    }
}
