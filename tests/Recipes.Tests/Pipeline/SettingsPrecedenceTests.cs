using Recipes.Hosting.Internal;
using Recipes.Pipeline;
using Recipes.Pipeline.Settings;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>Code, then recipes.json, then RECIPES_* variables, then the command line; each source is reported.</summary>
public sealed class SettingsPrecedenceTests : IDisposable
{
    private readonly TempDirectory _root = new("recipes-settings");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Each_source_overrides_the_one_before_and_is_reported()
    {
        var code = new RecipeSettings { Configuration = "FromCode" };

        var fromCode = Resolve(code);
        fromCode.Settings.Configuration.ShouldBe("FromCode");
        fromCode.Sources["configuration"].ShouldBe(RecipeSettingSource.Code);

        WriteFile("""{ "configuration": "FromFile" }""");
        var fromFile = Resolve(code);
        fromFile.Settings.Configuration.ShouldBe("FromFile");
        fromFile.Sources["configuration"].Origin.ShouldBe(RecipeSettingOrigin.File);
        fromFile.Sources["configuration"].Description.ShouldBe("recipes.json");

        var environment = new Dictionary<string, string> { ["RECIPES_CONFIGURATION"] = "FromEnvironment" };
        var fromEnvironment = Resolve(code, environment);
        fromEnvironment.Settings.Configuration.ShouldBe("FromEnvironment");
        fromEnvironment.Sources["configuration"].Description.ShouldBe("environment variable RECIPES_CONFIGURATION");

        var fromCommandLine = Resolve(code, environment, new() { ["configuration"] = "FromCommandLine" });
        fromCommandLine.Settings.Configuration.ShouldBe("FromCommandLine");
        fromCommandLine.Sources["configuration"].Origin.ShouldBe(RecipeSettingOrigin.CommandLine);
        fromCommandLine.Sources["configuration"].Description.ShouldBe("command line --configuration");

        code.Configuration.ShouldBe("FromCode", "the code's settings object is not changed");
    }

    [Theory]
    [InlineData("%HOME%/.recipes/feed")]
    [InlineData("~/.recipes/feed")]
    public void A_feed_in_the_file_may_name_the_user_s_home_as_the_template_writes_it(string written)
    {
        WriteFile($$"""{ "feed": "{{written}}" }""");

        var resolved = Resolve(new RecipeSettings());

        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        resolved.Settings.Feed.ShouldBe(Path.Combine(home, ".recipes", "feed"));
    }

    [Fact]
    public void Every_setting_keeps_the_value_of_its_strongest_source()
    {
        File.WriteAllText(_root.Combine("App.sln"), string.Empty);
        File.WriteAllText(_root.Combine("envs.yml"), string.Empty);
        WriteFile("""
            {
              // comments and trailing commas are allowed
              "feed": "https://file.example/v3/index.json",
              "slow-tests": ["*.Smoke", "Acme.Load*"],
              "environments-file": "envs.yml",
              "tag-commit": false,
            }
            """);

        var resolved = Resolve(
            new RecipeSettings { Solution = "App.sln", FastTestFilter = "Category!=Slow" },
            new() { ["RECIPES_TAG_COMMIT"] = "true", ["RECIPES_ALLOW_LOWER_VERSION"] = "true", ["RECIPES_VERSION"] = "2.0.0-rc.1", ["RECIPES_STATE_DIRECTORY"] = "deploy/state" },
            new() { ["version"] = "2.0.0", ["deploy-to"] = "staging" });

        var settings = resolved.Settings;
        settings.Solution.ShouldBe("App.sln");
        settings.FastTestFilter.ShouldBe("Category!=Slow");
        settings.Feed.ShouldBe("https://file.example/v3/index.json");
        settings.SlowTestProjects.ShouldBe(["*.Smoke", "Acme.Load*"]);
        settings.EnvironmentsFile.ShouldBe("envs.yml");
        settings.StateDirectory.ShouldBe("deploy/state");
        settings.TagCommit.ShouldBeTrue();
        settings.AllowLowerVersion.ShouldBeTrue();
        settings.VersionOverride.ShouldBe("2.0.0");
        settings.ArtifactsDirectory.ShouldBe("artifacts");
        Origins(resolved).ShouldBe(new Dictionary<string, RecipeSettingOrigin>
        {
            ["feed"] = RecipeSettingOrigin.File,
            ["api-key-variable"] = RecipeSettingOrigin.Default,
            ["solution"] = RecipeSettingOrigin.Code,
            ["configuration"] = RecipeSettingOrigin.Default,
            ["artifacts"] = RecipeSettingOrigin.Default,
            ["tag-commit"] = RecipeSettingOrigin.Environment,
            ["allow-lower-version"] = RecipeSettingOrigin.Environment,
            ["fast-test-filter"] = RecipeSettingOrigin.Code,
            ["msbuild-properties"] = RecipeSettingOrigin.Default,
            ["version"] = RecipeSettingOrigin.CommandLine,
            ["gitversion-config"] = RecipeSettingOrigin.Default,
            ["slow-tests"] = RecipeSettingOrigin.File,
            ["fast-tests"] = RecipeSettingOrigin.Default,
            ["environments-file"] = RecipeSettingOrigin.File,
            ["state-directory"] = RecipeSettingOrigin.Environment,
            ["registry"] = RecipeSettingOrigin.Default,
            ["registry-credentials-variable"] = RecipeSettingOrigin.Default,
            ["container-base-image"] = RecipeSettingOrigin.Default,
            ["test-parallelism"] = RecipeSettingOrigin.Default,
            ["compiler-server"] = RecipeSettingOrigin.Default,
            ["ready-to-run"] = RecipeSettingOrigin.Default,
            ["no-cache"] = RecipeSettingOrigin.Default,
            ["cache-directory"] = RecipeSettingOrigin.Default,
            ["cache-size-limit"] = RecipeSettingOrigin.Default,
        });
    }

    [Fact]
    public void Without_a_file_variables_or_arguments_the_defaults_apply()
    {
        var resolved = Resolve(new RecipeSettings());

        resolved.Settings.Feed.ShouldBe(RecipeSettings.DefaultFeed);
        resolved.Settings.FeedApiKeyVariable.ShouldBe("RECIPES_FEED_API_KEY");
        resolved.Settings.Configuration.ShouldBe("Release");
        resolved.Settings.EnvironmentsFile.ShouldBe("environments.yml", "the default file need not exist");
        resolved.Settings.StateDirectory.ShouldBeNull("the per-user folder outside the repository");
        resolved.Sources.Values.ShouldAllBe(source => source.Origin == RecipeSettingOrigin.Default);
    }

    [Fact]
    public void Variables_the_recipe_reads_for_other_purposes_are_not_taken_for_typos()
    {
        var resolved = Resolve(
            new RecipeSettings { FeedApiKeyVariable = "RECIPES_PUSH_TOKEN" },
            new()
            {
                ["RECIPES_ROOT"] = "/src/recipes",
                ["RECIPES_FEED_API_KEY"] = "key",
                ["RECIPES_PUSH_TOKEN"] = "token",
                ["RECIPES_EXPECTED_VERSION"] = "1.0.0",
                ["OTHER_FEEED"] = "not ours",
            });

        resolved.Settings.FeedApiKeyVariable.ShouldBe("RECIPES_PUSH_TOKEN");
    }

    [Fact]
    public void A_blank_variable_does_not_override_the_code()
    {
        var resolved = Resolve(new RecipeSettings { Configuration = "Debug" }, new() { ["RECIPES_CONFIGURATION"] = " " });

        resolved.Settings.Configuration.ShouldBe("Debug");
        resolved.Sources["configuration"].ShouldBe(RecipeSettingSource.Code);
    }

    private static Dictionary<string, RecipeSettingOrigin> Origins(ResolvedRecipeSettings resolved) =>
        resolved.Sources.ToDictionary(s => s.Key, s => s.Value.Origin);

    private void WriteFile(string json) => File.WriteAllText(_root.Combine("recipes.json"), json);

    private ResolvedRecipeSettings Resolve(
        RecipeSettings code,
        Dictionary<string, string>? environment = null,
        Dictionary<string, string>? commandLine = null) =>
        RecipeSettingsResolver.Resolve(code, _root.Path, commandLine ?? [], EnvironmentVariables.From(environment ?? []));
}
