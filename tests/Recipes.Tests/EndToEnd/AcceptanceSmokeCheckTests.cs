using Recipes.Artifacts;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// The acceptance stage checks the published artifact itself: each package restored by exact version into a fresh
/// consumer project and loaded, and slow tests that really took the package from the feed.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AcceptanceSmokeCheckTests
{
    private const string Package = "Acme.Greeter";

    [Fact]
    public void Without_slow_tests_the_published_package_is_still_loaded_and_one_whose_dependency_is_not_in_the_feed_fails()
    {
        using var repo = new SampleRepository();
        var removed = ProcessRunner.Run("dotnet", ["sln", "Library.sln", "remove", "tests/Acme.Greeter.AcceptanceTests/Acme.Greeter.AcceptanceTests.csproj"], repo.Repository, TimeSpan.FromMinutes(2));
        removed.ExitCode.ShouldBe(0, removed.All);
        Directory.Delete(Path.Combine(repo.Repository, "tests", "Acme.Greeter.AcceptanceTests"), recursive: true);
        repo.Commit("No slow test project");

        var good = repo.Build();

        good.ExitCode.ShouldBe(0, good.All);
        var version = Manifest(repo).Version;
        good.Output.ShouldContain($"Smoke check {Package} {version}: restored from {repo.Feed}, 1 assembly loaded (net10.0)", Case.Sensitive, good.All);
        // The run summary says what the acceptance stage checked, not only that the slow tests were skipped.
        System.Text.RegularExpressions.Regex.IsMatch(good.Output, $@"PackageSmokeCheck:\s+{Package} {System.Text.RegularExpressions.Regex.Escape(version)}: restored from ")
            .ShouldBeTrue(good.Output);

        // A library that uses a project the commit stage does not pack: it builds and passes its tests from source,
        // but its package depends on a package no source has, which only a consumer restoring it from the feed finds.
        Directory.CreateDirectory(Path.Combine(repo.Repository, "src", "Acme.Greeter.Internal"));
        repo.Write("src/Acme.Greeter.Internal/Acme.Greeter.Internal.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <IsPackable>false</IsPackable>\n  </PropertyGroup>\n</Project>\n");
        repo.Write("src/Acme.Greeter.Internal/Punctuation.cs", "namespace Acme.Greeter.Internal;\n\n/// <summary>Ends sentences.</summary>\npublic static class Punctuation\n{\n    /// <summary>A full stop.</summary>\n    public const string Stop = \".\";\n}\n");
        repo.Write("src/Acme.Greeter/Acme.Greeter.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <Description>Greets people politely.</Description>\n  </PropertyGroup>\n  <ItemGroup>\n    <ProjectReference Include=\"../Acme.Greeter.Internal/Acme.Greeter.Internal.csproj\" />\n  </ItemGroup>\n</Project>\n");
        var added = ProcessRunner.Run("dotnet", ["sln", "Library.sln", "add", "src/Acme.Greeter.Internal/Acme.Greeter.Internal.csproj"], repo.Repository, TimeSpan.FromMinutes(2));
        added.ExitCode.ShouldBe(0, added.All);
        repo.Commit("Greeter uses an unpacked project");

        var broken = repo.Build();

        broken.ExitCode.ShouldBe(1, broken.All);
        var next = Manifest(repo).Version;
        next.ShouldNotBe(version);
        broken.Error.ShouldContain(
            $"Smoke check failed for {Package} {next}: a consumer project referencing [{next}] did not restore and build: first error NU1101: Unable to find package Acme.Greeter.Internal.",
            Case.Sensitive,
            broken.All);
    }

    [Fact]
    public void Slow_tests_run_against_the_feeds_package_and_a_test_project_that_takes_the_source_instead_is_refused()
    {
        using var repo = new SampleRepository();

        var good = repo.Build();

        good.ExitCode.ShouldBe(0, good.All);
        var version = Manifest(repo).Version;
        good.Output.ShouldContain($"Smoke check {Package} {version}: restored from {repo.Feed}, 1 assembly loaded (net10.0)", Case.Sensitive, good.All);
        good.Output.ShouldContain($"Acme.Greeter.AcceptanceTests against {version}: 2 passed, 0 failed, 0 skipped", Case.Sensitive, good.All);

        // The unit tests forced slow: they reference the library's project, so they would test the source, not the package.
        var forced = repo.Build("--target=AcceptanceStage", "--slow-tests=Acme.Greeter.Tests");

        forced.ExitCode.ShouldBe(1, forced.All);
        forced.Error.ShouldContain(
            "tests/Acme.Greeter.Tests resolves Acme.Greeter from a ProjectReference, not from the feed: reference it as "
            + "<PackageReference Include=\"Acme.Greeter\" Version=\"[$(RecipesPackageVersion)]\" /> when RecipesPackageVersion is set "
            + "(README: \"Slow tests against the published package\")",
            Case.Sensitive,
            forced.All);
        forced.Output.ShouldNotContain($"Acme.Greeter.Tests against {version}", Case.Sensitive, "no test ran against the source");
    }

    private static ArtifactManifest Manifest(SampleRepository repo) =>
        ArtifactManifest.Read(Path.Combine(repo.Repository, "artifacts", "manifest.json"));
}
