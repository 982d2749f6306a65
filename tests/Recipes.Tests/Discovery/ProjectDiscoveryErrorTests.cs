using Recipes.Discovery;

namespace Recipes.Tests.Discovery;

/// <summary>Solutions and projects that discovery cannot read fail with one line that names the file.</summary>
public sealed class ProjectDiscoveryErrorTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private IReadOnlyList<DiscoveredProject> Discover(params string[] projects) =>
        new ProjectDiscovery().Discover(_repo.Slnx("App.slnx", projects));

    [Fact]
    public void A_solution_that_does_not_exist_is_a_SolutionNotFoundException()
    {
        var missing = Path.Combine(_repo.Root, "Missing.sln");

        Should.Throw<SolutionNotFoundException>(() => new ProjectDiscovery().Discover(missing))
            .Message.ShouldBe($"The solution {missing} does not exist.");
    }

    [Fact]
    public void A_solution_that_is_not_a_solution_is_an_error_naming_it()
    {
        var solution = _repo.Write("App.slnx", "this is not XML");

        var error = Should.Throw<RecipeException>(() => new ProjectDiscovery().Discover(solution));

        error.Message.ShouldStartWith($"Cannot read the solution {solution}: ");
    }

    [Fact]
    public void A_listed_project_that_does_not_exist_is_an_error_naming_it()
    {
        var present = _repo.Project("src/App/App.csproj");

        var error = Should.Throw<RecipeException>(() => Discover(present, Path.Combine(_repo.Root, "src/Gone/Gone.csproj")));

        error.Message.ShouldBe($"{Path.Combine(_repo.Root, "App.slnx")} lists src/Gone/Gone.csproj, which does not exist; fix or remove the entry.");
    }

    [Fact]
    public void A_project_file_that_is_not_XML_is_an_error_naming_it()
    {
        var broken = _repo.Write("src/Broken/Broken.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">");

        var error = Should.Throw<RecipeException>(() => Discover(broken));

        error.Message.ShouldStartWith($"Cannot evaluate {broken}: ");
    }

    [Fact]
    public void A_RecipesTestStage_that_is_neither_Fast_nor_Slow_is_an_error_naming_the_project()
    {
        var tests = _repo.Project("tests/App.Tests/App.Tests.csproj", "<RecipesTestStage>Nightly</RecipesTestStage>",
            """<PackageReference Include="xunit" Version="2.9.3" />""");

        Should.Throw<RecipeException>(() => Discover(tests))
            .Message.ShouldBe($"{tests}: RecipesTestStage is 'Nightly'; set it to Fast or Slow, or remove it.");
    }
}
