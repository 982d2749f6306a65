using NuGet.Frameworks;
using NuGet.Packaging;
using Recipes.Artifacts;
using Recipes.Testing;

namespace Recipes.Tests.Testing;

/// <summary>Reading a slow test project's project.assets.json: did it take the package under test from the feed?</summary>
public sealed class ResolvedPackagesUnderTestTests
{
    private static readonly ArtifactEntry Greeter = new("Acme.Greeter", "1.2.3-ci.4", "library", "Acme.Greeter.1.2.3-ci.4.nupkg", "ab");
    private static readonly ArtifactEntry Api = new("Acme.Api", "1.2.3-ci.4", "deployable", "Acme.Api.1.2.3-ci.4.nupkg", "cd");

    private static string Assets(params (string Key, string Type)[] libraries) =>
        "{ \"version\": 3, \"libraries\": {" + string.Join(",", libraries.Select(l => $"\"{l.Key}\": {{ \"type\": \"{l.Type}\", \"path\": \"x\" }}")) + "} }";

    [Fact]
    public void A_project_reference_to_a_package_under_test_is_one_line_saying_how_to_reference_the_package()
    {
        var outcome = ResolvedPackagesUnderTest.Check(Assets(("xunit/2.9.3", "package"), ("Acme.Greeter/1.0.0", "project")), "tests/Acme.Tests", [Greeter]);

        outcome.Problems.ShouldBe([
            "tests/Acme.Tests resolves Acme.Greeter from a ProjectReference, not from the feed: reference it as "
            + "<PackageReference Include=\"Acme.Greeter\" Version=\"[$(RecipesPackageVersion)]\" /> when RecipesPackageVersion is set "
            + "(README: \"Slow tests against the published package\")",
        ]);
        outcome.ResolvedAny.ShouldBeFalse();
    }

    [Fact]
    public void The_package_at_the_version_under_test_passes_whatever_the_id_case()
    {
        var outcome = ResolvedPackagesUnderTest.Check(Assets(("acme.greeter/1.2.3-CI.4", "package")), "tests/Acme.Tests", [Greeter, Api]);

        outcome.Problems.ShouldBeEmpty();
        outcome.ResolvedAny.ShouldBeTrue();
    }

    [Fact]
    public void Another_version_of_the_package_under_test_is_refused_naming_both()
    {
        var outcome = ResolvedPackagesUnderTest.Check(Assets(("Acme.Greeter/1.2.2", "package")), "tests/Acme.Tests", [Greeter]);

        outcome.Problems.ShouldHaveSingleItem().ShouldStartWith("tests/Acme.Tests resolves Acme.Greeter 1.2.2, not the 1.2.3-ci.4 under test: reference it as");
    }

    [Fact]
    public void A_project_that_references_no_package_under_test_has_no_problem_but_resolves_none()
    {
        // Deployable apps cannot be package references, so a project reference to one is not a problem here.
        var outcome = ResolvedPackagesUnderTest.Check(Assets(("Acme.Api/1.0.0", "project")), "tests/Acme.Tests", [Greeter, Api]);

        outcome.Problems.ShouldBeEmpty();
        outcome.ResolvedAny.ShouldBeFalse();
    }

    [Fact]
    public void A_file_that_is_not_an_assets_file_is_one_line_naming_the_project()
    {
        Should.Throw<RecipeException>(() => ResolvedPackagesUnderTest.Check("{ not json", "tests/Acme.Tests", [Greeter]))
            .Message.ShouldStartWith("tests/Acme.Tests's project.assets.json is not valid JSON");
        Should.Throw<RecipeException>(() => ResolvedPackagesUnderTest.Check("{}", "tests/Acme.Tests", [Greeter]))
            .Message.ShouldBe("tests/Acme.Tests's project.assets.json has no libraries; delete its obj folder and run again");
    }

    [Fact]
    public void The_consumer_targets_the_running_framework_when_the_package_supports_it_through_compatibility()
    {
        var chosen = PublishedPackageSmokeCheck.ChooseFramework([
            new FrameworkSpecificGroup(NuGetFramework.Parse("net462"), ["lib/net462/Acme.Greeter.dll"]),
            new FrameworkSpecificGroup(NuGetFramework.Parse("netstandard2.0"), ["lib/netstandard2.0/Acme.Greeter.dll", "lib/netstandard2.0/Acme.Greeter.xml", "lib/netstandard2.0/Acme.Core.dll"]),
        ]);

        chosen.ShouldNotBeNull();
        chosen.Value.Framework.ShouldBe(PublishedPackageSmokeCheck.RuntimeFramework);
        chosen.Value.Assemblies.ShouldBe(["Acme.Greeter.dll", "Acme.Core.dll"]);
    }

    [Fact]
    public void A_package_without_loadable_assemblies_for_this_runtime_is_not_smoke_loaded()
    {
        PublishedPackageSmokeCheck.ChooseFramework([new FrameworkSpecificGroup(NuGetFramework.Parse("net48"), ["lib/net48/Acme.Greeter.dll"])]).ShouldBeNull();
        PublishedPackageSmokeCheck.ChooseFramework([new FrameworkSpecificGroup(NuGetFramework.Parse("netstandard2.0"), ["lib/netstandard2.0/_._"])]).ShouldBeNull();
        PublishedPackageSmokeCheck.ChooseFramework([]).ShouldBeNull();
    }
}
