using Recipes.Discovery;

namespace Recipes.Tests.Discovery;

/// <summary>The classification table on plain facts, without MSBuild; <see cref="ProjectDiscoveryTests"/> checks real projects.</summary>
public sealed class ProjectClassifierTests
{
    /// <summary>A class library as the SDK evaluates it with nothing set: packable by default.</summary>
    private static EvaluatedProject ClassLibrary(string name = "Contoso.Core") => new(
        Path: $"/repo/src/{name}/{name}.csproj",
        Name: name,
        OutputType: "Library",
        TargetFrameworks: ["net10.0"],
        IsPackable: true,
        IsPackableSetInProject: false,
        IsTestProject: null,
        UsesWebSdk: false,
        UsesWorkerSdk: false,
        UsesMSTestSdk: false,
        PackAsTool: false,
        PackageId: name,
        TestStage: null,
        Deployable: null,
        PackageReferences: []);

    private static EvaluatedProject Console(string name = "Contoso.App") => ClassLibrary(name) with { OutputType = "Exe" };

    private static DiscoveredProject Classify(EvaluatedProject project) => ProjectClassifier.Classify(project).Project;

    [Fact]
    public void A_class_library_is_a_library() => Classify(ClassLibrary()).Kind.ShouldBe(ProjectKind.Library);

    [Fact]
    public void A_project_that_is_not_packable_is_other() =>
        Classify(ClassLibrary() with { IsPackable = false, IsPackableSetInProject = true }).Kind.ShouldBe(ProjectKind.Other);

    [Fact]
    public void A_project_without_an_IsPackable_value_is_other() =>
        Classify(ClassLibrary() with { IsPackable = null }).Kind.ShouldBe(ProjectKind.Other);

    [Theory]
    [InlineData("Microsoft.NET.Test.Sdk")]
    [InlineData("MSTest.Sdk")]
    [InlineData("MSTest")]
    [InlineData("NUnit")]
    [InlineData("xunit")]
    [InlineData("XUnit.V3")]
    public void A_test_framework_package_makes_a_test_project(string package)
    {
        var project = Classify(ClassLibrary("Contoso.Core.Tests") with { PackageReferences = ["Shouldly", package] });

        project.Kind.ShouldBe(ProjectKind.Test);
        project.Stage.ShouldBe(TestStage.Fast);
        project.IsPackable.ShouldBeFalse();
    }

    [Fact]
    public void Assertion_packages_alone_do_not_make_a_test_project() =>
        Classify(ClassLibrary("Contoso.Testing") with { PackageReferences = ["xunit.assert", "MSTest.TestFramework"] })
            .Kind.ShouldBe(ProjectKind.Library);

    [Fact]
    public void IsTestProject_false_beats_a_test_framework_package() =>
        Classify(ClassLibrary("Contoso.Testing") with { IsTestProject = false, PackageReferences = ["xunit"] })
            .Kind.ShouldBe(ProjectKind.Library);

    [Fact]
    public void A_test_project_that_sets_IsPackable_itself_stays_packable() =>
        Classify(ClassLibrary() with { IsTestProject = true, IsPackableSetInProject = true }).IsPackable.ShouldBeTrue();

    [Theory]
    [InlineData("Contoso.IntegrationTests", null, TestStage.Slow)]
    [InlineData("Contoso.Orders.AcceptanceTests", null, TestStage.Slow)]
    [InlineData("Contoso.endtoendtests", null, TestStage.Slow)]
    [InlineData("SlowTests", null, TestStage.Slow)]
    [InlineData("Contoso.Tests", null, TestStage.Fast)]
    [InlineData("Contoso.IntegrationTestsHelpers", null, TestStage.Fast)]
    [InlineData("Contoso.Tests", "Slow", TestStage.Slow)]
    [InlineData("Contoso.Tests", " slow ", TestStage.Slow)]
    [InlineData("Contoso.IntegrationTests", "Fast", TestStage.Fast)]
    public void The_test_stage_comes_from_RecipesTestStage_then_the_name(string name, string? written, TestStage expected) =>
        Classify(ClassLibrary(name) with { IsTestProject = true, TestStage = written }).Stage.ShouldBe(expected);

    [Fact]
    public void An_unknown_RecipesTestStage_is_an_error_naming_the_project()
    {
        var project = ClassLibrary("Contoso.Tests") with { IsTestProject = true, TestStage = "Nightly" };

        var error = Should.Throw<RecipeException>(() => Classify(project));

        error.Message.ShouldBe($"{project.Path}: RecipesTestStage is 'Nightly'; set it to Fast or Slow, or remove it.");
    }

    [Fact]
    public void RecipesTestStage_on_a_project_that_is_not_a_test_is_ignored() =>
        Classify(ClassLibrary() with { TestStage = "Nightly" }).Stage.ShouldBeNull();

    [Theory]
    [InlineData("Exe", true, false, null, ProjectKind.Deployable)]
    [InlineData("WinExe", false, true, null, ProjectKind.Deployable)]
    [InlineData("Exe", true, false, false, ProjectKind.Other)]
    [InlineData("Library", true, false, null, ProjectKind.Library)]
    [InlineData("Exe", false, false, true, ProjectKind.Deployable)]
    [InlineData("Library", false, false, true, ProjectKind.Deployable)]
    public void Web_apps_worker_services_and_opted_in_projects_are_deployable(
        string outputType, bool web, bool worker, bool? deployable, ProjectKind expected) =>
        Classify(ClassLibrary("Contoso.Api") with { OutputType = outputType, UsesWebSdk = web, UsesWorkerSdk = worker, Deployable = deployable })
            .Kind.ShouldBe(expected);

    [Fact]
    public void A_test_project_is_never_deployable() =>
        Classify(Console("Contoso.Api.Tests") with { UsesWebSdk = true, Deployable = true, PackageReferences = ["xunit"] })
            .Kind.ShouldBe(ProjectKind.Test);

    [Theory]
    [InlineData("Contoso.Benchmarks")]
    [InlineData("Contoso.Benchmark")]
    [InlineData("Contoso.Demo")]
    [InlineData("Contoso.Samples")]
    [InlineData("contoso.sample")]
    [InlineData("Benchmarks")]
    public void Benchmarks_demos_and_samples_that_are_packable_by_default_are_other(string name) =>
        Classify(ClassLibrary(name)).Kind.ShouldBe(ProjectKind.Other);

    [Fact]
    public void A_benchmark_that_sets_IsPackable_in_its_project_file_is_a_library() =>
        Classify(Console("Contoso.Benchmarks") with { IsPackableSetInProject = true }).Kind.ShouldBe(ProjectKind.Library);

    [Fact]
    public void A_name_that_only_contains_a_sample_word_is_a_library() =>
        Classify(ClassLibrary("Contoso.SampleData")).Kind.ShouldBe(ProjectKind.Library);

    [Fact]
    public void A_console_program_packable_by_default_is_other() => Classify(Console()).Kind.ShouldBe(ProjectKind.Other);

    [Fact]
    public void A_console_program_packed_as_a_tool_is_a_library() =>
        Classify(Console() with { PackAsTool = true }).Kind.ShouldBe(ProjectKind.Library);

    [Fact]
    public void The_classification_says_which_rule_decided() =>
        ProjectClassifier.Classify(Console()).Reason.ShouldBe("a console program, not a .NET tool, that is packable only by default");
}
