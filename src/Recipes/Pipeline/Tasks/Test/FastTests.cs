using Cake.Core.Diagnostics;
using Recipes.Discovery;
using Recipes.Hosting;
using Recipes.Testing;

namespace Recipes.Pipeline.Tasks;

/// <summary>Runs the fast test projects against the build output. A failing test stops the line: nothing is packaged.</summary>
[TaskName(nameof(FastTests))]
[TaskDescription("Run the fast (unit) tests; results and coverage go to artifacts/test-results")]
[IsDependentOn(typeof(Compile))]
public sealed class FastTests : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override bool ShouldRun(RecipeContext context) =>
        context.TestProjects(TestStage.Fast).Any() || Skip("no fast test projects in the solution");

    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var failed = StageTestRunner.Run(context, TestStage.Fast, nameof(FastTests), (project, results) =>
            new TestProjectRun(context, project.Path, results)
            {
                Configuration = context.Settings.Configuration,
                NoBuild = true,
                Filter = context.Settings.FastTestFilter,
            });

        var total = context.TestResults.ByStage[nameof(FastTests)];
        context.Log.Information("Fast tests: {0}", total);
        if (failed.Count > 0)
        {
            throw new RecipeException(
                $"Fast tests failed in {string.Join(", ", failed)} ({total}); nothing will be packaged or published. Results: {context.Artifacts.TestResults}");
        }
    }
}
