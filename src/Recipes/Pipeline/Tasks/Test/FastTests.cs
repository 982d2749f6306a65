using Cake.Core.Diagnostics;
using Recipes.Discovery;
using Recipes.Hosting;
using Recipes.Pipeline.Caching;
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
        var inputs = CachedStages.InputsOf(context, nameof(FastTests));
        var projects = context.TestProjects(TestStage.Fast).ToList();
        if (CachedStages.Find(context, nameof(FastTests), inputs) is { } cached)
        {
            Replay(context, projects, cached);
            return;
        }

        PackingBesideTests.StartWhenSafe(context);
        try
        {
            RunTests(context);
        }
        catch
        {
            // Nothing packed beside failing tests is kept: no package in artifacts/, so none is published.
            context.PackingBesideTests?.Discard();
            context.PackingBesideTests = null;
            throw;
        }

        // Only a passing run is kept: a failure is never replayed, so a flaky failure gets a real re-run.
        CachedStages.Keep(context, nameof(FastTests), inputs, projects.Select(p => StageTestRunner.ResultsFolder(context, p)));
    }

    private static void RunTests(RecipeContext context)
    {
        var failed = StageTestRunner.Run(context, TestStage.Fast, nameof(FastTests), (project, results) =>
        {
            var direct = DirectRun(context, project);
            return new TestProjectRun(context, project.Path, results)
            {
                Configuration = context.Settings.Configuration,
                NoBuild = true,
                Filter = context.Settings.FastTestFilter,
                Assemblies = direct?.Paths,
                RunSettings = direct?.RunSettings,
            };
        });

        var total = context.TestResults.ByStage[nameof(FastTests)];
        context.Log.Information("Fast tests: {0}", total);
        if (failed.Count > 0)
        {
            throw new RecipeException(
                $"Fast tests failed in {string.Join(", ", failed)} ({total}); nothing will be packaged or published. Results: {context.Artifacts.TestResults}");
        }
    }

    /// <summary>
    /// The built test assemblies of <paramref name="project"/> to run without the project, or null (said in the log)
    /// when only <c>dotnet test</c> of the project runs its tests as the team set them up: the build changes dotnet
    /// test's settings, the project is set up for another runner or sets VSTest options, or an assembly is not where
    /// MSBuild says this build put it.
    /// </summary>
    private static TestAssemblies? DirectRun(RecipeContext context, DiscoveredProject project)
    {
        void ThroughProject(string why) => context.Log.Verbose("{0}: tests run through the project ({1})", project.Name, why);

        if (context.Settings.ToolHooks.Any<Cake.Common.Tools.DotNet.Test.DotNetTestSettings>())
        {
            ThroughProject("the build changes dotnet test's settings with Configure<DotNetTestSettings>");
            return null;
        }

        var found = ProjectDiscovery.TestAssembliesOf(context.Solution, project.Path, context.Settings.Configuration, context.Settings.MSBuildProperties, line => context.Log.Verbose("{0}", line));
        if (found.ProjectOnlyBecause is { } why)
        {
            ThroughProject(why);
            return null;
        }

        if (found.Paths.FirstOrDefault(path => !File.Exists(path)) is { } missing)
        {
            ThroughProject($"{missing} was not built");
            return null;
        }

        return found;
    }

    /// <summary>Puts each project's kept results (TRX, JUnit, coverage) back and counts them, as a run would.</summary>
    private static void Replay(RecipeContext context, IReadOnlyList<DiscoveredProject> projects, CachedStage cached)
    {
        foreach (var project in projects)
        {
            StageCache.TryDelete(StageTestRunner.ResultsFolder(context, project));
        }

        cached.RestoreInto(context.RepositoryRoot);
        foreach (var project in projects)
        {
            var files = TrxFile.LoadAll(StageTestRunner.ResultsFolder(context, project));
            StageTestRunner.Record(context, nameof(FastTests), project, files, files.Select(f => f.Counts).Aggregate(TestCounts.None, (a, b) => a + b), "(from cache)");
        }

        context.Log.Information("Fast tests: {0} (from cache)", context.TestResults.ByStage.GetValueOrDefault(nameof(FastTests), TestCounts.None));
    }
}
