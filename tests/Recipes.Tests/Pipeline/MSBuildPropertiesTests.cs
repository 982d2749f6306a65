using Recipes.Building;
using Recipes.Hosting.Internal;
using Recipes.Pipeline;
using Recipes.Pipeline.Settings;
using Recipes.Pipeline.Tasks;
using Recipes.Tests.Support;
using Recipes.Versioning;

namespace Recipes.Tests.Pipeline;

/// <summary>-p:Name=Value and the msbuild-properties setting, as dotnet takes them, and what a failed build says.</summary>
public sealed class MSBuildPropertiesTests : IDisposable
{
    private readonly TempDirectory _root = new("recipes-props");

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("-p:WarningsNotAsErrors=NU1603")]
    [InlineData("--property:WarningsNotAsErrors=NU1603")]
    [InlineData("-property:WarningsNotAsErrors=NU1603")]
    [InlineData("/p:WarningsNotAsErrors=NU1603")]
    [InlineData("--p:WarningsNotAsErrors=NU1603")]
    public void Every_spelling_dotnet_takes_sets_the_property(string argument)
    {
        var settings = ResolveCommandLine(argument, "Compile");

        settings.MSBuildProperties.ShouldBe(new Dictionary<string, string> { ["WarningsNotAsErrors"] = "NU1603" });
    }

    [Fact]
    public void Several_properties_in_one_switch_and_repeated_switches_add_up()
    {
        var settings = ResolveCommandLine("-p:A=1;B=2", "-p:C=3", "--property:A=4");

        settings.MSBuildProperties.ShouldBe(new Dictionary<string, string> { ["A"] = "4", ["B"] = "2", ["C"] = "3" });
    }

    [Theory]
    [InlineData("-p:")]
    [InlineData("-p:NoValue")]
    [InlineData("-p:=1")]
    public void A_property_without_a_name_and_value_is_refused_naming_it(string argument)
    {
        var exception = Should.Throw<CommandLineException>(() => CommandLineParser.Parse([argument]));

        exception.Message.ShouldContain($"'{argument}'");
        exception.Message.ShouldContain("-p:Name=Value");
    }

    [Fact]
    public void An_unknown_single_dash_option_is_not_told_to_take_a_form_that_does_nothing()
    {
        var exception = Should.Throw<CommandLineException>(() => CommandLineParser.Parse(["-x:Y=1"]));

        exception.Message.ShouldNotContain("--x");
        exception.Message.ShouldContain("-p:Name=Value");
    }

    [Fact]
    public void Code_the_file_the_environment_and_the_command_line_add_up_a_later_value_winning()
    {
        File.WriteAllText(_root.Combine("recipes.json"), """{ "msbuild-properties": "FromFile=1;Shared=file" }""");
        var code = new RecipeSettings { MSBuildProperties = { ["FromCode"] = "1", ["Shared"] = "code" } };
        var environment = EnvironmentVariables.From(new Dictionary<string, string> { ["RECIPES_MSBUILD_PROPERTIES"] = "FromEnvironment=1" });

        var resolved = RecipeSettingsResolver.Resolve(code, _root.Path, new Dictionary<string, string> { ["msbuild-properties"] = "Shared=cli" }, environment);

        resolved.Settings.MSBuildProperties.ShouldBe(new Dictionary<string, string>
        {
            ["FromCode"] = "1", ["Shared"] = "cli", ["FromFile"] = "1", ["FromEnvironment"] = "1",
        }, ignoreOrder: true);
        code.MSBuildProperties.Count.ShouldBe(2, "the code's settings are not changed");
    }

    [Fact]
    public void A_malformed_setting_names_its_source_and_the_form()
    {
        var environment = EnvironmentVariables.From(new Dictionary<string, string> { ["RECIPES_MSBUILD_PROPERTIES"] = "A=1;Oops" });

        var exception = Should.Throw<RecipeConfigurationException>(() =>
            RecipeSettingsResolver.Resolve(new RecipeSettings(), _root.Path, new Dictionary<string, string>(), environment));

        exception.Message.ShouldContain("RECIPES_MSBUILD_PROPERTIES");
        exception.Message.ShouldContain("'Oops' should be Name=Value");
    }

    [Fact]
    public void The_properties_reach_the_msbuild_settings_of_build_pack_and_publish_and_the_version_wins()
    {
        var version = new BuildVersion("1.2.1-ci.5", "1.2.0.0", "1.2.1.0", "1.2.1-ci.5+abc", "abc", "main", false, DateTimeOffset.UnixEpoch);
        var settings = new RecipeSettings { MSBuildProperties = { ["WarningsNotAsErrors"] = "NU1603", ["DeterministicTimestamp"] = "7" } };

        var msbuild = VersionProperties.For(version, settings);

        msbuild.Properties["WarningsNotAsErrors"].ShouldBe(["NU1603"]);
        msbuild.Properties["DeterministicTimestamp"].ShouldBe(["0"]);
        msbuild.Version.ShouldBe("1.2.1-ci.5");
    }

    [Fact]
    public void A_failed_build_names_its_first_error_and_for_nu1603_the_property_to_set()
    {
        var errors = new BuildOutputErrors();
        errors.Observe("  Determining projects to restore...");
        errors.Observe("/r/src/Lib/Lib.csproj : error NU1603: Warning As Error: Lib depends on Dep (>= 1.0.0) but Dep 1.0.0 was not found. Dep 1.1.0 was resolved instead. [/r/R.sln]");
        errors.Observe("/r/src/Lib/Lib.csproj : error NU1101: later");

        var line = errors.Describe("dotnet build R.sln failed");

        line.ShouldStartWith("dotnet build R.sln failed: first error NU1603: Warning As Error: Lib depends on Dep (>= 1.0.0)");
        line.ShouldNotContain("[/r/R.sln]");
        line.ShouldContain("-p:WarningsNotAsErrors=NU1603");
        line.ShouldContain("msbuild-properties");
    }

    [Theory]
    [InlineData("/r/Lib.csproj : error NU1101: Unable to find package Nope. No packages exist with this id in source(s): local", "NU1101", "NuGet.config")]
    [InlineData("/r/Lib.csproj : error NU1301: Unable to load the service index for source https://x.example/v3/index.json.", "NU1301", "could not be reached")]
    [InlineData("/r/Lib/Class.cs(3,5): error CS0103: The name 'x' does not exist in the current context [/r/Lib/Lib.csproj]", "CS0103", "The name 'x' does not exist")]
    public void Other_first_errors_are_named_with_the_fix_when_it_is_well_known(string output, string code, string expected)
    {
        var errors = new BuildOutputErrors();
        errors.Observe(output);

        var line = errors.Describe("dotnet build failed");

        line.ShouldContain($"first error {code}");
        line.ShouldContain(expected);
    }

    private static RecipeSettings ResolveCommandLine(params string[] arguments)
    {
        var options = CommandLineParser.Parse(arguments);
        var commandLine = options.Arguments.ToDictionary(a => a.Key, a => a.Value[^1], StringComparer.OrdinalIgnoreCase);
        using var root = new TempDirectory("recipes-props-cli");
        return RecipeSettingsResolver.Resolve(new RecipeSettings(), root.Path, commandLine, EnvironmentVariables.From(new Dictionary<string, string>())).Settings;
    }
}
