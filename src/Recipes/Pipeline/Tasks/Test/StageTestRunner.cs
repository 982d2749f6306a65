using Cake.Core.Diagnostics;
using Recipes.Ci.BuildServers;
using Recipes.Discovery;
using Recipes.Testing;

namespace Recipes.Pipeline.Tasks;

/// <summary>What the fast and slow test stages share: run each project of the stage, count, summarize, hand the results to the CI server, collect failures.</summary>
internal static class StageTestRunner
{
    /// <summary>Runs every test project of <paramref name="stage"/>; returns the names of the projects that failed.</summary>
    /// <param name="context">The build.</param>
    /// <param name="stage">Which test projects.</param>
    /// <param name="label">The stage's name in the test counts and the run summary.</param>
    /// <param name="create">Sets up the run of one project, given its results folder.</param>
    /// <param name="detail">Said after each project's name in the log, e.g. "against 1.2.3".</param>
    /// <param name="beforeTests">Called with each project's run before its tests, e.g. to restore it and check what restore resolved.</param>
    public static List<string> Run(
        RecipeContext context,
        TestStage stage,
        string label,
        Func<DiscoveredProject, string, TestProjectRun> create,
        string? detail = null,
        Action<DiscoveredProject, TestProjectRun>? beforeTests = null)
    {
        var failed = new List<string>();
        var projects = context.TestProjects(stage).ToList();
        var runs = new List<(string Name, TestProjectRun Run)>();
        foreach (var project in projects)
        {
            var results = ResultsFolder(context, project);
            var run = create(project, results);
            run.AdjustSettings = settings => context.Settings.ToolHooks.Apply(label, project.Path, settings);
            foreach (var (name, value) in context.Settings.MSBuildProperties)
            {
                run.Properties.TryAdd(name, value);
            }

            // Before any test runs: restores of projects that share a referenced project must not overlap.
            beforeTests?.Invoke(project, run);
            runs.Add((project.Name, run));
        }

        var outcomes = TestProjectsAtOnce.Execute(runs, context.Settings.TestParallelism, context.Log);
        for (var index = 0; index < projects.Count; index++)
        {
            var (project, run) = (projects[index], runs[index].Run);
            var (counts, succeeded) = outcomes[index];
            Record(context, label, project, run.ResultFiles, counts, detail);
            if (!succeeded)
            {
                failed.Add(project.Name);
            }
        }

        return failed;
    }

    /// <summary>Counts one project's results into the run (summary, CI server, log), from its TRX files.</summary>
    internal static void Record(RecipeContext context, string label, DiscoveredProject project, IReadOnlyList<TrxFile> files, TestCounts counts, string? detail)
    {
        var results = ResultsFolder(context, project);
        context.BuildServer.PublishTestResults(project.Name, results, counts.Failed > 0 ? FailedTest.FromTrxFiles(results) : []);
        context.TestResults.Add(label, counts);
        // Counts per target framework when every result file names one, as dotnet test prints them; else the project's.
        var perFramework = files.Count > 0 && files.All(f => f.Framework.Length > 0);
        var parts = perFramework ? files.Select(f => ($"{project.Name} {f.Framework}", f.Counts)).ToList() : [(project.Name, counts)];
        foreach (var (part, partCounts) in parts)
        {
            context.TestResults.AddPart(label, part, partCounts);
        }

        var frameworks = perFramework ? $" ({string.Join("; ", files.Select(f => $"{f.Framework}: {f.Counts}"))})" : string.Empty;
        context.Log.Information("{0}{1}: {2}{3}", project.Name, detail is null ? string.Empty : " " + detail, counts, frameworks);
        context.Summary.Set(label, context.TestResults.Describe(label));
        if (RuntimeRollForward.Notice(project.Name, project.TargetFrameworks, RuntimeRollForward.InstalledRuntimes) is { } rolledForward)
        {
            context.Log.Information(rolledForward);
        }
    }

    /// <summary>The project's own results folder: its TRX, JUnit and coverage files.</summary>
    internal static string ResultsFolder(RecipeContext context, DiscoveredProject project) => Path.Combine(context.Artifacts.TestResults, project.Name);
}
