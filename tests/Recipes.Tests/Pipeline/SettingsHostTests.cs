using Recipes.Pipeline;
using Recipes.Tests.Hosting;

namespace Recipes.Tests.Pipeline;

/// <summary>The settings through the host: --help shows them, a wrong one stops the build with exit code 2.</summary>
public sealed class SettingsHostTests
{
    [Fact]
    public void Help_lists_each_setting_with_its_value_and_source_and_masks_secrets()
    {
        var harness = new HostHarness(new()
        {
            ["RECIPES_FEED"] = "https://ci:t0ken@feed.example/v3/index.json",
            ["RECIPES_FEED_API_KEY"] = "oy2-very-secret",
        });
        harness.Host.UseRecipe(recipe => recipe.Configuration = "Debug");

        harness.Run("--help", "--tag-commit=true").ShouldBe(0, harness.Error);

        var output = harness.Output;
        output.ShouldContain("Recipe settings:");
        output.ShouldContain("https://***@feed.example/v3/index.json (from environment variable RECIPES_FEED)");
        output.ShouldContain("Debug (from code (UseRecipe))");
        output.ShouldContain("true (from command line --tag-commit)");
        output.ShouldContain("artifacts (from the default)");
        output.ShouldContain("set (masked) (from environment variable RECIPES_FEED_API_KEY)");
        output.ShouldContain("--slow-tests=PATTERNS  RECIPES_SLOW_TESTS  \"slow-tests\" in recipes.json");
        output.ShouldNotContain("oy2-very-secret");
        output.ShouldNotContain("t0ken");
        output.IndexOf("Recipe settings:", StringComparison.Ordinal).ShouldBeGreaterThan(output.IndexOf("Options:", StringComparison.Ordinal));
    }

    [Fact]
    public void Help_says_when_the_api_key_is_not_set()
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe();

        harness.Run("--help").ShouldBe(0, harness.Error);

        harness.Output.ShouldContain("not set (environment variable RECIPES_FEED_API_KEY)");
    }

    [Fact]
    public void Help_shows_a_settings_error_instead_of_failing()
    {
        var harness = new HostHarness(new() { ["RECIPES_FEEED"] = "/tmp/feed" });
        harness.Host.UseRecipe();

        harness.Run("--help").ShouldBe(0, harness.Error);

        harness.Output.ShouldContain("Error: Environment variable RECIPES_FEEED is not a Recipes setting. Did you mean RECIPES_FEED?");
        harness.Output.ShouldContain("environments-file");
    }

    [Fact]
    public void A_wrong_setting_exits_2_with_one_line_before_any_task_runs()
    {
        var harness = new HostHarness(new() { ["RECIPES_FEED"] = "htp:/x" });
        harness.Host.UseRecipe();

        OneLineError.From(harness, "--target=Version").ShouldBe(
            "Error: Setting 'feed' from environment variable RECIPES_FEED: 'htp:/x' is neither a folder path nor an http(s) URL; a feed URL looks like https://host/v3/index.json.");
        harness.Output.ShouldNotContain("Version");
    }
}
