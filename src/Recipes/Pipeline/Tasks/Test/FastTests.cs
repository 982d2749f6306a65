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
        var failed = new List<string>();
        foreach (var project in context.TestProjects(TestStage.Fast))
        {
            var run = new TestProjectRun(context, project.Path, Path.Combine(context.Artifacts.TestResults, project.Name))
            {
                Configuration = context.Settings.Configuration,
                NoBuild = true,
                Filter = context.Settings.FastTestFilter,
            };
            var (counts, succeeded) = run.Execute();
            context.TestResults.Add(nameof(FastTests), counts);
            context.Summary.Set(nameof(FastTests), context.TestResults.ByStage[nameof(FastTests)].ToString());
            context.Log.Information("{0}: {1}", project.Name, counts);
            if (!succeeded)
            {
                failed.Add(project.Name);
            }
        }

        var total = context.TestResults.ByStage[nameof(FastTests)];
        context.Log.Information("Fast tests: {0}", total);
        if (failed.Count > 0)
        {
            throw new RecipeException(
                $"Fast tests failed in {string.Join(", ", failed)} ({total}); nothing will be packaged or published. Results: {context.Artifacts.TestResults}");
        }
    }
}
