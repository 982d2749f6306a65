using Recipes.Discovery;

namespace Recipes.Tests.Discovery;

public sealed class SolutionLocatorTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void The_only_sln_in_the_folder_is_found()
    {
        var solution = _repo.Write("App.sln", "");

        SolutionLocator.Find(_repo.Root, configured: null).ShouldBe(solution);
    }

    [Fact]
    public void The_only_slnx_in_the_folder_is_found()
    {
        var solution = _repo.Write("App.slnx", "<Solution />");

        SolutionLocator.Find(_repo.Root, configured: null).ShouldBe(solution);
    }

    [Fact]
    public void The_only_solution_below_a_root_without_one_is_found()
    {
        var solution = _repo.Write("src/App.sln", "");

        SolutionLocator.Find(_repo.Root, configured: null).ShouldBe(solution);
        SolutionLocator.Search(_repo.Root).BelowRoot.ShouldBeTrue();
    }

    [Fact]
    public void An_slnx_at_any_depth_is_found_and_copies_in_output_and_tool_folders_are_skipped()
    {
        var solution = _repo.Write("code/server/App.slnx", "<Solution />");
        foreach (var skipped in new[] { "bin", "obj", ".git", "node_modules", ".build", "artifacts", "code/server/obj" })
        {
            _repo.Write($"{skipped}/Copy.sln", "");
        }

        SolutionLocator.Find(_repo.Root, configured: null).ShouldBe(solution);
    }

    [Fact]
    public void A_solution_at_the_root_wins_over_those_below_it()
    {
        var solution = _repo.Write("App.sln", "");
        _repo.Write("samples/Sample.sln", "");

        var search = SolutionLocator.Search(_repo.Root);

        search.Found.ShouldBe([solution]);
        search.BelowRoot.ShouldBeFalse();
    }

    [Fact]
    public void No_solution_anywhere_is_an_error_that_names_the_setting()
    {
        _repo.Write("src/App/App.csproj", "<Project />");

        var error = Should.Throw<SolutionNotFoundException>(() => SolutionLocator.Find(_repo.Root, configured: null));

        error.ShouldBeAssignableTo<RecipeException>();
        error.Message.ShouldBe(
            $"No solution (*.sln, *.slnx) in {_repo.Root} or below it; create one, or set \"solution\" in recipes.json (or pass --solution=PATH) to name one elsewhere.");
    }

    [Fact]
    public void Several_solutions_below_a_root_without_one_is_an_error_that_lists_them()
    {
        _repo.Write("tools/Tools.slnx", "<Solution />");
        _repo.Write("src/App.sln", "");

        var error = Should.Throw<SolutionNotFoundException>(() => SolutionLocator.Find(_repo.Root, configured: null));

        error.Message.ShouldBe(
            $"2 solutions below {_repo.Root} (none at its root): {Path.Combine("src", "App.sln")}, {Path.Combine("tools", "Tools.slnx")}; " +
            "set \"solution\" in recipes.json (or pass --solution=PATH) to choose one.");
    }

    [Fact]
    public void Several_solutions_and_none_configured_is_an_error_that_lists_them()
    {
        _repo.Write("B.slnx", "<Solution />");
        _repo.Write("A.sln", "");

        var error = Should.Throw<SolutionNotFoundException>(() => SolutionLocator.Find(_repo.Root, configured: null));

        error.Message.ShouldBe(
            $"2 solutions in {_repo.Root}: A.sln, B.slnx; set \"solution\" in recipes.json (or pass --solution=PATH) to choose one.");
        error.Message.ShouldNotContain(Environment.NewLine);
    }

    [Fact]
    public void A_configured_solution_relative_to_the_folder_wins_over_several()
    {
        _repo.Write("A.sln", "");
        var chosen = _repo.Write("B.slnx", "<Solution />");

        SolutionLocator.Find(_repo.Root, "B.slnx").ShouldBe(chosen);
    }

    [Fact]
    public void A_configured_folder_is_searched_for_its_solution()
    {
        var solution = _repo.Write("src/App.sln", "");

        SolutionLocator.Find(_repo.Root, "src").ShouldBe(solution);
    }

    [Fact]
    public void A_configured_solution_that_does_not_exist_is_an_error_naming_it()
    {
        _repo.Write("A.sln", "");

        var error = Should.Throw<SolutionNotFoundException>(() => SolutionLocator.Find(_repo.Root, "Missing.sln"));

        error.Message.ShouldBe(
            $"The configured solution 'Missing.sln' does not exist in {_repo.Root} (looked for {Path.Combine(_repo.Root, "Missing.sln")}).");
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_an_error_naming_it()
    {
        var missing = Path.Combine(_repo.Root, "nowhere");

        var error = Should.Throw<SolutionNotFoundException>(() => SolutionLocator.Find(missing, configured: null));

        error.Message.ShouldContain(missing);
    }
}

