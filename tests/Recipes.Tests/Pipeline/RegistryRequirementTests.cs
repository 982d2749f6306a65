using Recipes.Pipeline;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>
/// A docker environment deploys the image Package pushes: a run that reaches Package without the <c>registry</c>
/// setting is refused in one line before Version, Compile or tests start; a run that does not package is not.
/// </summary>
public sealed class RegistryRequirementTests : IDisposable
{
    private const string Environments = """
        environments:
          - name: dev
            artifact: Acme.Shop.Api
            port: 5080
          - name: containers
            artifact: Acme.Shop.Api
            port: 5081
            target: docker
        """;

    private readonly TempDirectory _repository = new("recipes-registry-requirement");

    public RegistryRequirementTests() => File.WriteAllText(_repository.Combine("environments.yml"), Environments);

    public void Dispose() => _repository.Dispose();

    [Theory]
    [InlineData("CommitStage")]
    [InlineData("Package")]
    public void A_run_that_packages_for_a_docker_environment_without_a_registry_is_one_line_naming_both(string target)
    {
        var harness = Harness();

        OneLineError.From(harness, Arguments($"--target={target}"))
            .Naming("'containers'", "environments.yml", "target: docker", "'registry'", "RECIPES_REGISTRY");
        harness.Output.ShouldNotContain("Version 1.0.0", customMessage: "refused before the Version task computed anything");
        Directory.Exists(_repository.Combine("artifacts")).ShouldBeFalse();
    }

    [Fact]
    public void A_run_that_does_not_package_needs_no_registry()
    {
        var harness = Harness();

        harness.Run(Arguments("--target=Version")).ShouldBe(0, harness.Error);
        harness.Output.ShouldContain("Version 1.0.0");
    }

    private HostHarness Harness()
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        return harness;
    }

    private string[] Arguments(string target) =>
    [
        target,
        $"--working={_repository.Path}",
        "--version=1.0.0",
        $"--state-directory={_repository.Combine("state")}",
    ];
}
