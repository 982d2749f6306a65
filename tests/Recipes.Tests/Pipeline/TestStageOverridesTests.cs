using Recipes.Discovery;
using Recipes.Pipeline;
using Recipes.Pipeline.Settings;

namespace Recipes.Tests.Pipeline;

/// <summary>slow-tests and fast-tests patterns force a test project's stage, after the code's Reclassify.</summary>
public sealed class TestStageOverridesTests
{
    private static DiscoveredProject Test(string name, TestStage stage) =>
        new($"/repo/tests/{name}/{name}.csproj", name, ProjectKind.Test, stage, false, ["net10.0"], null);

    [Fact]
    public void Patterns_force_the_stage_of_matching_test_projects_only()
    {
        var reclassify = TestStageOverrides.Reclassify(new RecipeSettings
        {
            SlowTestProjects = ["*.Smoke", "Acme.Load?"],
            FastTestProjects = ["acme.integrationtests"],
        })!;

        reclassify(Test("Acme.Api.Smoke", TestStage.Fast)).Stage.ShouldBe(TestStage.Slow);
        reclassify(Test("Acme.Load1", TestStage.Fast)).Stage.ShouldBe(TestStage.Slow);
        reclassify(Test("Acme.Load12", TestStage.Fast)).Stage.ShouldBe(TestStage.Fast, "? is one character");
        reclassify(Test("Acme.IntegrationTests", TestStage.Slow)).Stage.ShouldBe(TestStage.Fast, "matching ignores case");
        reclassify(Test("Acme.Tests", TestStage.Fast)).Stage.ShouldBe(TestStage.Fast);

        var library = new DiscoveredProject("/repo/src/Acme.Smoke/Acme.Smoke.csproj", "Acme.Smoke", ProjectKind.Library, null, true, ["net10.0"], "Acme.Smoke");
        reclassify(library).ShouldBe(library);
    }

    [Fact]
    public void The_code_s_reclassify_runs_first_and_the_patterns_have_the_last_word()
    {
        var reclassify = TestStageOverrides.Reclassify(new RecipeSettings
        {
            Reclassify = p => p.Name == "Acme.Checks" ? p with { Kind = ProjectKind.Test, Stage = TestStage.Fast } : p,
            SlowTestProjects = ["Acme.Checks"],
        })!;

        var project = new DiscoveredProject("/repo/Acme.Checks.csproj", "Acme.Checks", ProjectKind.Other, null, false, ["net10.0"], null);
        reclassify(project).ShouldBe(project with { Kind = ProjectKind.Test, Stage = TestStage.Slow });
    }

    [Fact]
    public void Without_patterns_the_code_s_reclassify_is_used_as_it_is()
    {
        Func<DiscoveredProject, DiscoveredProject> fromCode = p => p;

        TestStageOverrides.Reclassify(new RecipeSettings { Reclassify = fromCode }).ShouldBeSameAs(fromCode);
        TestStageOverrides.Reclassify(new RecipeSettings()).ShouldBeNull();
    }

    [Fact]
    public void A_project_in_both_lists_is_an_error_naming_both_patterns()
    {
        var reclassify = TestStageOverrides.Reclassify(new RecipeSettings { SlowTestProjects = ["*.Smoke"], FastTestProjects = ["Acme.*"] })!;

        var error = Should.Throw<RecipeException>(() => reclassify(Test("Acme.Smoke", TestStage.Fast)));

        error.Message.ShouldBe("Test project Acme.Smoke matches both slow-tests ('*.Smoke') and fast-tests ('Acme.*'); make the patterns pick one stage for it.");
    }
}
