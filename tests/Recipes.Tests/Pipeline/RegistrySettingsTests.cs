using Recipes.Hosting.Internal;
using Recipes.Pipeline;
using Recipes.Pipeline.Settings;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>The image settings: registry, registry-credentials-variable and container-base-image are checked before any task runs.</summary>
public sealed class RegistrySettingsTests : IDisposable
{
    private readonly TempDirectory _root = new("recipes-registry-settings");

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("registry.example.com/team")]
    [InlineData("localhost:5000/acme/apps")]
    [InlineData("[::1]:5000")]
    public void A_registry_as_host_port_and_path_is_taken(string registry)
    {
        var resolved = Resolve(new() { ["RECIPES_REGISTRY"] = registry });

        resolved.Settings.Registry.ShouldBe(registry);
        resolved.Sources["registry"].Origin.ShouldBe(RecipeSettingOrigin.Environment);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "has a scheme; give the registry as host[:port][/path] without http:// or https://")]
    [InlineData("registry.example.com/Team", "has the path 'Team', which is not lower-case letters, digits and . _ - separated by /")]
    [InlineData("reg istry:5000", "does not start with a host name or address (and optional :port); give host[:port][/path]")]
    public void A_malformed_registry_is_one_line_naming_the_setting_its_source_and_the_fix(string registry, string reason)
    {
        var error = Fails(new() { ["RECIPES_REGISTRY"] = registry });

        error.Message.ShouldBe($"Setting 'registry' from environment variable RECIPES_REGISTRY: '{registry.Trim()}' {reason}.");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void An_empty_registry_on_the_command_line_is_refused()
    {
        var error = Fails(new(), new() { ["registry"] = "" });

        error.Message.ShouldBe("Setting 'registry' from command line --registry: '' is empty; give the registry as host[:port][/path], such as 127.0.0.1:5000 or registry.example.com/team.");
    }

    [Theory]
    [InlineData("127.0.0.1:5000/aspnet:10.0")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0")]
    [InlineData("aspnet@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void A_base_image_reference_is_taken(string image)
    {
        Resolve(new() { ["RECIPES_CONTAINER_BASE_IMAGE"] = image }).Settings.ContainerBaseImage.ShouldBe(image);
    }

    [Theory]
    [InlineData("Aspnet:10.0")]
    [InlineData("aspnet:")]
    [InlineData("aspnet@sha256:123")]
    public void A_malformed_base_image_is_refused(string image)
    {
        var error = Fails(new() { ["RECIPES_CONTAINER_BASE_IMAGE"] = image });

        error.Message.ShouldStartWith($"Setting 'container-base-image' from environment variable RECIPES_CONTAINER_BASE_IMAGE: '{image}' is not an image reference;");
    }

    [Fact]
    public void The_credentials_variable_it_names_is_no_unknown_setting_and_its_value_is_never_read_from_the_file()
    {
        var resolved = Resolve(new()
        {
            ["RECIPES_REGISTRY_CREDENTIALS_VARIABLE"] = "RECIPES_PUSH_CREDENTIALS",
            ["RECIPES_PUSH_CREDENTIALS"] = "ci:s3cret",
            ["RECIPES_REGISTRY_CREDENTIALS"] = "ci:default-variable",
        });
        resolved.Settings.RegistryCredentialsVariable.ShouldBe("RECIPES_PUSH_CREDENTIALS");

        File.WriteAllText(_root.Combine(RecipeSettingsFile.FileName), """{ "registry-credentials": "ci:s3cret" }""");
        var error = Fails(new());

        error.Message.ShouldContain("sets 'registry-credentials', a secret, which must not be committed; set the environment variable that registry-credentials-variable names (RECIPES_REGISTRY_CREDENTIALS by default) instead.");
        error.Message.ShouldNotContain("s3cret");
    }

    [Fact]
    public void A_credentials_variable_name_with_a_space_is_refused()
    {
        var error = Fails(new(), new() { ["registry-credentials-variable"] = "MY CREDS" });

        error.Message.ShouldBe("Setting 'registry-credentials-variable' from command line --registry-credentials-variable: 'MY CREDS' is not an environment variable name.");
    }

    private ResolvedRecipeSettings Resolve(Dictionary<string, string> environment) =>
        RecipeSettingsResolver.Resolve(new RecipeSettings(), _root.Path, new Dictionary<string, string>(), EnvironmentVariables.From(environment));

    private RecipeConfigurationException Fails(Dictionary<string, string> environment, Dictionary<string, string>? commandLine = null) =>
        Should.Throw<RecipeConfigurationException>(() =>
            RecipeSettingsResolver.Resolve(new RecipeSettings(), _root.Path, commandLine ?? [], EnvironmentVariables.From(environment)));
}
