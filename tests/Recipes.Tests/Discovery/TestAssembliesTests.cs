using Recipes.Discovery;

namespace Recipes.Tests.Discovery;

/// <summary>
/// Where a test project's built assemblies are, as the pipeline's build puts them, and which projects' tests must
/// still run through <c>dotnet test</c> of the project (evaluation only: nothing is restored or built).
/// </summary>
public sealed class TestAssembliesTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void A_cross_targeting_test_project_has_one_assembly_per_framework_and_its_run_settings()
    {
        var project = _repo.Write("tests/Shop.Tests/Shop.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
                <RunSettingsFilePath>$(MSBuildThisFileDirectory)../test.runsettings</RunSettingsFilePath>
              </PropertyGroup>
            </Project>
            """);

        var found = Of(project);

        found.ProjectOnlyBecause.ShouldBeNull();
        var folder = Path.GetDirectoryName(project)!;
        found.Paths.ShouldBe([
            Path.Combine(folder, "bin", "Release", "net8.0", "Shop.Tests.dll"),
            Path.Combine(folder, "bin", "Release", "net10.0", "Shop.Tests.dll")]);
        found.RunSettings.ShouldBe(Path.Combine(_repo.Root, "tests", "test.runsettings"));
    }

    [Fact]
    public void The_configuration_and_msbuild_properties_of_the_build_move_the_assembly_as_they_moved_the_build()
    {
        var project = _repo.Project("tests/Shop.Tests/Shop.Tests.csproj");

        var found = Of(project, "Debug", new Dictionary<string, string> { ["AssemblyName"] = "Shop.UnitTests" });

        found.Paths.ShouldBe([Path.Combine(Path.GetDirectoryName(project)!, "bin", "Debug", "net10.0", "Shop.UnitTests.dll")]);
        found.RunSettings.ShouldBeNull();
    }

    [Theory]
    [InlineData("<VSTestLogger>html</VSTestLogger>", "VSTestLogger")]
    [InlineData("<VSTestBlame>true</VSTestBlame>", "VSTestBlame")]
    [InlineData("<TestingPlatformDotnetTestSupport>true</TestingPlatformDotnetTestSupport>", "TestingPlatformDotnetTestSupport")]
    [InlineData("<EnableMSTestRunner>true</EnableMSTestRunner>", "EnableMSTestRunner")]
    [InlineData("<PlatformTarget>x86</PlatformTarget>", "PlatformTarget x86")]
    public void A_project_set_up_for_dotnet_test_of_the_project_runs_through_it_and_says_why(string property, string named)
    {
        var project = _repo.Project("tests/Shop.Tests/Shop.Tests.csproj", property);

        var found = Of(project);

        found.Paths.ShouldBeEmpty();
        found.ProjectOnlyBecause.ShouldNotBeNull().ShouldContain(named);
    }

    private TestAssemblies Of(string project, string configuration = "Release", Dictionary<string, string>? properties = null) =>
        ProjectDiscovery.TestAssembliesOf(_repo.Slnx("Shop.slnx", [project]), project, configuration, properties ?? new Dictionary<string, string>(), _ => { });
}
