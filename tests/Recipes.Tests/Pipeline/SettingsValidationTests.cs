using Recipes.Hosting;
using Recipes.Hosting.Internal;
using Recipes.Pipeline;
using Recipes.Pipeline.Settings;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>A wrong setting is one line that names the setting, where its value came from, and what is wrong.</summary>
public sealed class SettingsValidationTests : IDisposable
{
    private readonly TempDirectory _root = new("recipes-settings");

    public void Dispose() => _root.Dispose();

    private string SettingsFile => _root.Combine("recipes.json");

    [Fact]
    public void An_unknown_key_in_the_file_names_the_key_the_file_and_the_closest_setting()
    {
        File.WriteAllText(SettingsFile, """{ "configuration": "Debug", "feeed": "https://feed.example/v3/index.json" }""");

        var error = Fails(new RecipeSettings());

        error.Message.ShouldStartWith($"{SettingsFile}: unknown setting 'feeed'. Did you mean 'feed'? Known settings: feed, api-key-variable, solution,");
        error.ShouldBeAssignableTo<FrostingException>("the host maps it to exit code 2");
    }

    [Fact]
    public void Malformed_json_names_the_file_line_and_position()
    {
        File.WriteAllText(SettingsFile, "{\n  \"feed\": \"/tmp/feed\"\n  \"configuration\": \"Debug\"\n}\n");

        var error = Fails(new RecipeSettings());

        error.Message.ShouldStartWith($"{SettingsFile} is not valid JSON: line 3, position 3: ");
    }

    [Theory]
    [InlineData("htp:/x", "'htp:/x' is neither a folder path nor an http(s) URL")]
    [InlineData("http://", "'http://' is neither a folder path nor an http(s) URL")]
    [InlineData("ftp://feed.example/v3", "'ftp://feed.example/v3' is neither a folder path nor an http(s) URL")]
    public void A_feed_that_is_neither_a_folder_nor_an_http_url_is_refused(string feed, string reason)
    {
        var error = Fails(new RecipeSettings(), new() { ["RECIPES_FEED"] = feed });

        error.Message.ShouldStartWith($"Setting 'feed' from environment variable RECIPES_FEED: {reason};");
    }

    [Fact]
    public void A_feed_folder_under_a_file_cannot_be_created()
    {
        File.WriteAllText(_root.Combine("blocker"), string.Empty);

        var error = Fails(new RecipeSettings(), commandLine: new() { ["feed"] = "blocker/feed" });

        error.Message.ShouldBe($"Setting 'feed' from command line --feed: 'blocker/feed' cannot be created as a folder: {_root.Combine("blocker")} is a file.");
    }

    [Fact]
    public void A_missing_solution_names_where_it_was_looked_for()
    {
        var error = Fails(new RecipeSettings { Solution = "Missing.sln" });

        error.Message.ShouldBe($"Setting 'solution' from code (UseRecipe): 'Missing.sln' does not exist (looked for {_root.Combine("Missing.sln")}).");
    }

    [Fact]
    public void A_chosen_environments_file_must_exist()
    {
        File.WriteAllText(SettingsFile, """{ "environments-file": "deploy/environments.yml" }""");

        var error = Fails(new RecipeSettings());

        error.Message.ShouldBe($"Setting 'environments-file' from recipes.json: 'deploy/environments.yml' does not exist (looked for {_root.Combine("deploy", "environments.yml")}).");
    }

    [Fact]
    public void A_value_that_is_not_a_boolean_names_its_source()
    {
        var error = Fails(new RecipeSettings(), commandLine: new() { ["tag-commit"] = "maybe" });

        error.Message.ShouldBe("Setting 'tag-commit' from command line --tag-commit: 'maybe' is not true or false.");
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("v1.2.3")]
    public void A_version_must_be_semver(string version)
    {
        var error = Fails(new RecipeSettings(), new() { ["RECIPES_VERSION"] = version });

        error.Message.ShouldBe($"Setting 'version' from environment variable RECIPES_VERSION: '{version}' is not a SemVer 2.0 version such as 1.4.0 or 2.0.0-rc.1.");
    }

    [Fact]
    public void An_empty_configuration_is_refused()
    {
        var error = Fails(new RecipeSettings(), commandLine: new() { ["configuration"] = string.Empty });

        error.Message.ShouldStartWith("Setting 'configuration' from command line --configuration: '' is empty");
    }

    [Fact]
    public void A_mistyped_recipes_variable_is_refused_with_the_closest_name()
    {
        var error = Fails(new RecipeSettings(), new() { ["RECIPES_FEEED"] = "/tmp/feed" });

        error.Message.ShouldStartWith("Environment variable RECIPES_FEEED is not a Recipes setting. Did you mean RECIPES_FEED? The settings' variables are RECIPES_FEED, RECIPES_API_KEY_VARIABLE,");
    }

    [Fact]
    public void The_api_key_cannot_be_committed_in_the_file()
    {
        File.WriteAllText(SettingsFile, """{ "api-key": "oy2abc" }""");

        var error = Fails(new RecipeSettings());

        error.Message.ShouldContain("sets 'api-key', a secret, which must not be committed");
        error.Message.ShouldNotContain("oy2abc");
    }

    [Theory]
    [InlineData("""{ "feed": { "url": "https://feed.example" } }""", "'feed' must be a string (in double quotes), not an object.")]
    [InlineData("""{ "feed": 42 }""", "'feed' must be a string (in double quotes), not a number (42).")]
    [InlineData("""{ "feed": ["a", "b"] }""", "'feed' must be a string (in double quotes), not a list.")]
    [InlineData("""{ "configuration": true }""", "'configuration' must be a string (in double quotes), not a boolean (true).")]
    [InlineData("""{ "version": 1.2 }""", "'version' must be a string (in double quotes), not a number (1.2).")]
    [InlineData("""{ "solution": null }""", "'solution' must be a string (in double quotes), not null.")]
    [InlineData("""{ "tag-commit": "yes" }""", "'tag-commit' must be true or false (a JSON boolean, without quotes), not a string (\"yes\").")]
    [InlineData("""{ "tag-commit": 1 }""", "'tag-commit' must be true or false (a JSON boolean, without quotes), not a number (1).")]
    [InlineData("""{ "slow-tests": [1, 2] }""", "'slow-tests' must be a list of strings, such as [\"*.Smoke\", \"*.Load\"], not a list with something other than strings in it.")]
    [InlineData("""{ "fast-tests": {} }""", "'fast-tests' must be a list of strings, such as [\"*.Smoke\", \"*.Load\"], not an object.")]
    public void A_file_value_of_the_wrong_json_type_names_the_file_the_key_the_expected_type_and_the_type_found(string json, string problem)
    {
        File.WriteAllText(SettingsFile, json);

        var error = Fails(new RecipeSettings());

        error.Message.ShouldBe($"{SettingsFile}: {problem}");
    }

    [Fact]
    public void A_list_setting_also_takes_one_comma_separated_string()
    {
        File.WriteAllText(SettingsFile, """{ "slow-tests": "*.Smoke, *.Load", "tag-commit": true }""");

        var settings = RecipeSettingsResolver.Resolve(new RecipeSettings(), _root.Path, new Dictionary<string, string>(), EnvironmentVariables.From(new Dictionary<string, string>())).Settings;

        settings.SlowTestProjects.ShouldBe(["*.Smoke", "*.Load"]);
        settings.TagCommit.ShouldBeTrue();
    }

    private RecipeConfigurationException Fails(
        RecipeSettings code,
        Dictionary<string, string>? environment = null,
        Dictionary<string, string>? commandLine = null) =>
        Should.Throw<RecipeConfigurationException>(() =>
            RecipeSettingsResolver.Resolve(code, _root.Path, commandLine ?? [], EnvironmentVariables.From(environment ?? [])));
}
