using Recipes.Discovery;
using Recipes.Pipeline.Settings;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// <c>dotnet new recipes-build --record-solution --allow-scripts yes</c> records in recipes.json the only solution
/// below a root that has none, and leaves recipes.json as the template wrote it otherwise, saying why in one line.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TemplateSolutionTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _temp = new("recipes-template-solution");
    private readonly string _repo;
    private readonly string _hive;

    public TemplateSolutionTests()
    {
        _repo = Path.Combine(_temp.Path, "repo");
        _hive = Path.Combine(_temp.Path, "template-hive");
        Directory.CreateDirectory(_repo);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_only_solution_below_the_root_is_recorded_in_recipes_json()
    {
        AddSolution("src/Shop.sln");
        // Copies in build output, dependencies and dot folders are not the repository's solution.
        AddSolution("src/Shop.Web/bin/Debug/Copy.sln");
        AddSolution("node_modules/tool/Tool.sln");
        AddSolution(".git/Stray.slnx");

        var result = NewRecipesBuild();

        result.Output.ShouldContain("recipes.json: \"solution\" set to src/Shop.sln, the only solution below the root.");
        var recipesJson = Path.Combine(_repo, RecipeSettingsFile.FileName);
        var settings = RecipeSettingsFile.Read(recipesJson);
        settings.ShouldContain(value => value.Setting.Name == "solution" && value.Text == "src/Shop.sln", File.ReadAllText(recipesJson));
        SolutionLocator.Find(_repo, "src/Shop.sln").ShouldBe(Path.Combine(_repo, "src", "Shop.sln"));
        // The template's comments and feed line stay, below the new entry.
        File.ReadAllText(recipesJson).ShouldBe(TemplateRecipesJson().Replace("{\n", "{\n  \"solution\": \"src/Shop.sln\",\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_solutions_below_the_root_leave_recipes_json_as_it_was_and_the_line_lists_them()
    {
        AddSolution("a/A.sln");
        AddSolution("b/B.slnx");

        var result = NewRecipesBuild();

        result.Output.ShouldContain("recipes.json unchanged: 2 solutions below the root (a/A.sln, b/B.slnx); set \"solution\" in recipes.json to the one to build.");
        File.ReadAllText(Path.Combine(_repo, RecipeSettingsFile.FileName)).ShouldBe(TemplateRecipesJson());
    }

    [Fact]
    public void A_solution_at_the_root_leaves_recipes_json_as_it_was()
    {
        AddSolution("Shop.slnx");
        AddSolution("samples/Sample.sln");

        var result = NewRecipesBuild();

        result.Output.ShouldContain("recipes.json unchanged: Shop.slnx is at the root, where ./build.sh finds it without a setting.");
        File.ReadAllText(Path.Combine(_repo, RecipeSettingsFile.FileName)).ShouldBe(TemplateRecipesJson());
    }

    private void AddSolution(string relativePath)
    {
        var path = Path.Combine(_repo, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Only the name matters to the search.
        File.WriteAllText(path, string.Empty);
    }

    /// <summary>Installs the template and runs it in the repository with --record-solution.</summary>
    private ProcessResult NewRecipesBuild()
    {
        Run(_repo, "new", "install", RecipesPackages.TemplatesPackage, "--debug:custom-hive", _hive);
        return Run(_repo, "new", "recipes-build", "--record-solution", "--allow-scripts", "yes", "--debug:custom-hive", _hive);
    }

    /// <summary>recipes.json as the template writes it without --record-solution (in an empty folder of its own).</summary>
    private string TemplateRecipesJson()
    {
        var plain = Path.Combine(_temp.Path, "plain");
        Directory.CreateDirectory(plain);
        Run(plain, "new", "recipes-build", "--debug:custom-hive", _hive);
        return File.ReadAllText(Path.Combine(plain, RecipeSettingsFile.FileName));
    }

    private ProcessResult Run(string directory, params string[] args)
    {
        var result = ProcessRunner.Run("dotnet", args, directory, Limit);
        result.ExitCode.ShouldBe(0, $"dotnet {string.Join(' ', args)}\n{result.All}");
        return result;
    }
}
