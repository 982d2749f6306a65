using Recipes.Pipeline;
using Recipes.Tests.Discovery;
using Recipes.Tests.Hosting;

namespace Recipes.Tests.Pipeline;

/// <summary>
/// A repository whose solution is not at its root, through the host: one below the root is built and named, several
/// stop the build with exit code 2 before any task runs.
/// </summary>
public sealed class SolutionBelowRootTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private HostHarness Harness()
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        return harness;
    }

    [Fact]
    public void The_only_solution_below_the_root_is_used_and_named_with_the_setting()
    {
        _repo.Write("src/Shop.slnx", "<Solution />");
        var harness = Harness();

        harness.Run("--target=Version", "--dryrun", $"--working={_repo.Root}").ShouldBe(0, harness.Error);

        harness.Output.ShouldContain(
            $"Building {Path.Combine("src", "Shop.slnx")}, the only solution below the repository root; set \"solution\" in recipes.json (or pass --solution=PATH) to build another.");
    }

    [Fact]
    public void Several_solutions_below_the_root_exit_2_before_any_task_listing_them()
    {
        _repo.Write("src/Shop.sln", "");
        _repo.Write("samples/Demo.slnx", "<Solution />");
        var harness = Harness();

        OneLineError.From(harness, "--target=Version", $"--working={_repo.Root}").ShouldBe(
            $"Error: 2 solutions below {_repo.Root} (none at its root): {Path.Combine("samples", "Demo.slnx")}, {Path.Combine("src", "Shop.sln")}; " +
            "set \"solution\" in recipes.json (or pass --solution=PATH) to choose one.");
        harness.Output.ShouldNotContain("Version");
    }

    [Fact]
    public void A_configured_solution_chooses_among_several_below_the_root()
    {
        _repo.Write("src/Shop.sln", "");
        _repo.Write("samples/Demo.slnx", "<Solution />");
        var harness = Harness();

        harness.Run("--target=Version", "--dryrun", "--solution=src/Shop.sln", $"--working={_repo.Root}").ShouldBe(0, harness.Error);

        harness.Output.ShouldNotContain("the only solution below");
    }

    [Fact]
    public void A_configured_folder_with_several_solutions_exits_2_naming_the_setting_and_them()
    {
        _repo.Write("src/Shop.sln", "");
        _repo.Write("src/Admin.sln", "");
        var harness = Harness();

        OneLineError.From(harness, "--target=Version", "--solution=src", $"--working={_repo.Root}").ShouldBe(
            "Error: Setting 'solution' from command line --solution: 'src' is a folder with 2 solutions (Admin.sln, Shop.sln); name the solution file.");
    }
}
