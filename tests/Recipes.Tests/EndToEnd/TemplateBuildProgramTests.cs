namespace Recipes.Tests.EndToEnd;

/// <summary>
/// A build/ that is still the template's runs the program the Recipes package carries (tools/program/), with no
/// compile: most of a fresh clone's overhead over the plain dotnet commands. Any file of build/ changed or added
/// brings the compile back, so a team's own tasks and settings always run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TemplateBuildProgramTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private const string Compiling = "Compiling the build program";
    private readonly TempDirectory _temp = new("recipes-template-program");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_fresh_clone_with_the_templates_build_runs_without_a_compile_until_build_changes()
    {
        var origin = Path.Combine(_temp.Path, "origin");
        var hive = Path.Combine(_temp.Path, "template-hive");
        Directory.CreateDirectory(origin);
        Run(origin, "git", "init", "-q", "-b", "main");
        Run(origin, "dotnet", "new", "classlib", "-n", "Shop.Core", "-o", "src/Shop.Core");
        Run(origin, "dotnet", "new", "sln", "-n", "Shop", "--format", "sln");
        Run(origin, "dotnet", "sln", "Shop.sln", "add", "src/Shop.Core/Shop.Core.csproj");
        Run(origin, "dotnet", "new", "install", RecipesPackages.TemplatesPackage, "--debug:custom-hive", hive);
        Run(origin, "dotnet", "new", "recipes-build", "--recipes-version", RecipesPackages.Version, "--feed", RecipesPackages.Feed, "--debug:custom-hive", hive);
        Run(origin, "git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "add", "-A");
        Run(origin, "git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", "Add the pipeline");
        // Whether this machine's NuGet cache held this Recipes yet or not, a first run leaves it there (as CI's cache would).
        Build(origin, "--tree").ExitCode.ShouldBe(0);

        var clone = Path.Combine(_temp.Path, "clone");
        Run(_temp.Path, "git", "clone", "-q", origin, clone);
        var untouched = Build(clone, "--target=Version");

        untouched.ExitCode.ShouldBe(0, untouched.All);
        untouched.All.ShouldContain("Version 0.");
        untouched.All.ShouldNotContain(Compiling);
        Directory.Exists(Path.Combine(clone, ".build")).ShouldBeFalse("nothing compiled, nothing written to .build/");

        // A task of the team's own: build/ is no longer the template's, so it is compiled and the task runs.
        File.WriteAllText(Path.Combine(clone, "build", "Hello.cs"), """
            using Cake.Core.Diagnostics;
            using Recipes.Hosting;
            using Recipes.Pipeline;

            [TaskName("Hello")]
            public sealed class Hello : FrostingTask<RecipeContext>
            {
                public override void Run(RecipeContext context) => context.Log.Information("Hello from build/");
            }
            """);
        var own = Build(clone, "--target=Hello");

        own.ExitCode.ShouldBe(0, own.All);
        own.All.ShouldContain(Compiling);
        own.All.ShouldContain("Hello from build/");

        // A changed Program.cs (here a setting made in code) is compiled too, and what it sets holds.
        File.Delete(Path.Combine(clone, "build", "Hello.cs"));
        var program = Path.Combine(clone, "build", "Program.cs");
        File.WriteAllText(program, File.ReadAllText(program).Replace(".UseRecipe()", ".UseRecipe(recipe => recipe.Configuration = \"Debug\")", StringComparison.Ordinal));
        var changed = Build(clone, "--help");

        changed.ExitCode.ShouldBe(0, changed.All);
        changed.All.ShouldContain(Compiling);
        changed.All.ShouldMatch(@"configuration\s+Debug");

        // Back to the template's text (line endings do not count): no compile again.
        Run(clone, "git", "checkout", "--", "build/Program.cs");
        File.WriteAllText(program, File.ReadAllText(program).ReplaceLineEndings("\r\n"));
        var restored = Build(clone, "--target=Version");

        restored.ExitCode.ShouldBe(0, restored.All);
        restored.All.ShouldNotContain(Compiling);
    }

    private ProcessResult Build(string repo, string argument) =>
        ProcessRunner.Run("bash", [Path.Combine(repo, "build.sh"), argument], repo, Limit,
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = Testing.ToolPackagesFolder.Path });

    private static void Run(string directory, string file, params string[] args)
    {
        var result = ProcessRunner.Run(file, args, directory, Limit);
        result.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)}\n{result.All}");
    }
}
