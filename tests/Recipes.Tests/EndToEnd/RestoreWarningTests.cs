using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// A repository with warnings as errors whose package reference asks for a version its feed does not hold (the feed
/// has only a newer one): NU1603 fails Compile, which says so in one line with the property to set, and that property
/// given as -p: makes the build pass.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RestoreWarningTests
{
    [Fact]
    public void NU1603_fails_compile_naming_the_fix_and_passes_with_the_property_on_the_command_line()
    {
        using var repo = new SampleRepository();
        var localFeed = Path.Combine(repo.Root, "local-feed");
        TestPackages.Create(localFeed, "Acme.Dependency", "1.1.0");
        repo.Write("Directory.Build.props", """
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
                <Authors>Acme</Authors>
              </PropertyGroup>
            </Project>
            """);
        var packages = File.ReadAllText(Path.Combine(repo.Repository, "Directory.Packages.props"));
        repo.Write("Directory.Packages.props", packages.Replace("</ItemGroup>", "  <PackageVersion Include=\"Acme.Dependency\" Version=\"1.0.0\" />\n  </ItemGroup>"));
        repo.Write(Path.Combine("src", "Acme.Greeter", "Acme.Greeter.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Acme.Dependency" />
              </ItemGroup>
            </Project>
            """);
        // Each package from one source only, so that NuGet does not warn (NU1507) about two sources first.
        repo.Write("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="team" value="{RecipesPackages.Feed}" />
                <add key="local" value="{localFeed}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="team"><package pattern="*" /></packageSource>
                <packageSource key="local"><package pattern="Acme.Dependency" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        repo.Commit("Depend on a version the feed does not serve");

        var failed = repo.Build("--target=Compile");

        failed.ExitCode.ShouldBe(1, failed.All);
        var line = failed.All.Split('\n').Where(l => l.Contains("Task 'Compile' failed", StringComparison.Ordinal)).ShouldHaveSingleItem();
        line.ShouldContain("first error NU1603");
        line.ShouldContain("Acme.Dependency");
        line.ShouldContain("-p:WarningsNotAsErrors=NU1603");
        line.ShouldContain("msbuild-properties");

        var passed = repo.Build("--target=Compile", "-p:WarningsNotAsErrors=NU1603");

        passed.ExitCode.ShouldBe(0, passed.All);
    }
}
