using Recipes.Hosting.Internal;
using Recipes.Pipeline;
using Recipes.Pipeline.Settings;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>
/// Where deployment state lives: by default under the user's home, outside the repository where <c>git clean -fdx</c>
/// cannot reach it, one folder per clone. Every test has a temporary HOME; none touches the real ~/.recipes.
/// </summary>
public sealed class StateLocationTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-state-location");

    public void Dispose() => _temp.Dispose();

    private string Home => Directory.CreateDirectory(_temp.Combine("home")).FullName;

    private static EnvironmentVariables With(string? home) =>
        EnvironmentVariables.From(home is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["HOME"] = home, ["USERPROFILE"] = home });

    [Fact]
    public void By_default_state_lives_under_home_one_folder_per_clone_named_after_the_repository()
    {
        var first = Directory.CreateDirectory(_temp.Combine("a", "shop")).FullName;
        var second = Directory.CreateDirectory(_temp.Combine("b", "shop")).FullName;

        var firstState = StateLocation.Resolve(null, first, With(Home));
        var secondState = StateLocation.Resolve(null, second, With(Home));

        Path.GetDirectoryName(firstState).ShouldBe(Path.Combine(Home, ".recipes", "state"));
        Path.GetFileName(firstState).ShouldMatch("^shop-[0-9a-f]{8}$");
        secondState.ShouldNotBe(firstState, "two clones of one repository keep separate histories");
        StateLocation.Resolve(null, first + "/", With(Home)).ShouldBe(firstState, "the same clone always finds its state");
        firstState.ShouldNotStartWith(first);
    }

    [Fact]
    public void A_set_state_directory_is_relative_to_the_repository_root_or_absolute_as_given()
    {
        var root = Directory.CreateDirectory(_temp.Combine("repo")).FullName;

        StateLocation.Resolve("deploy/state", root, With(null)).ShouldBe(Path.Combine(root, "deploy", "state"));
        StateLocation.Resolve(_temp.Combine("elsewhere"), root, With(null)).ShouldBe(_temp.Combine("elsewhere"));
    }

    [Fact]
    public void Without_home_or_with_a_home_that_cannot_hold_it_the_error_names_state_directory()
    {
        var root = Directory.CreateDirectory(_temp.Combine("repo")).FullName;
        var notAFolder = _temp.Combine("home-file");
        File.WriteAllText(notAFolder, "a file, not a folder");

        Should.Throw<RecipeConfigurationException>(() => StateLocation.Resolve(null, root, With(null)))
            .Message.ShouldContain("HOME is not set, so there is no default state folder");
        Should.Throw<RecipeConfigurationException>(() => StateLocation.Resolve(null, root, With(notAFolder)))
            .Message.ShouldContain($"cannot be created under HOME ({notAFolder})");
    }

    [Fact]
    public void Old_state_in_the_repository_is_not_left_behind_for_an_empty_history_but_named_with_the_move_to_make()
    {
        var root = Directory.CreateDirectory(_temp.Combine("repo")).FullName;
        var old = Directory.CreateDirectory(Path.Combine(root, ".recipes", "state")).FullName;
        File.WriteAllText(Path.Combine(old, "ledger.db"), string.Empty);
        var expected = StateLocation.Default(Home, root);

        var message = Should.Throw<RecipeConfigurationException>(() => StateLocation.Resolve(null, root, With(Home))).Message;

        message.ShouldContain($"`mv {old} {expected}`");
        message.ShouldContain("state-directory=.recipes/state");
        Directory.Exists(expected).ShouldBeFalse("no new, empty history was started");

        Directory.Move(old, expected);
        StateLocation.Resolve(null, root, With(Home)).ShouldBe(expected, "once moved, the state is found there");
    }

    [Fact]
    public void Help_shows_the_folder_the_default_resolves_to()
    {
        var harness = new HostHarness(new() { ["HOME"] = Home, ["USERPROFILE"] = Home });
        harness.Host.UseRecipe();

        harness.Run("--help").ShouldBe(0, harness.Error);

        harness.Output.ShouldContain($"{StateLocation.Default(Home, Environment.CurrentDirectory)} (default: outside the repository, per clone)");
    }

    [Fact]
    public void A_target_that_needs_state_without_home_exits_2_with_one_line_naming_state_directory()
    {
        var environments = _temp.Combine("environments.yml");
        File.WriteAllText(environments, "environments:\n  - name: dev\n    artifact: Acme.Shop.Api\n    port: 5080\n");
        var harness = new HostHarness();
        harness.Host.UseRecipe();

        harness.Run("--target=History", "--environment=dev", $"--environments-file={environments}").ShouldBe(2, harness.Output);

        OneLineError.LineOf(harness.Error).ShouldContain("set state-directory (--state-directory=PATH, RECIPES_STATE_DIRECTORY)");
    }
}
