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
    public static List<string> Run(
        RecipeContext context, TestStage stage, string label, Func<DiscoveredProject, string, TestProjectRun> create, string? detail = null)
    {
        var failed = new List<string>();
        foreach (var project in context.TestProjects(stage))
        {
            var results = Path.Combine(context.Artifacts.TestResults, project.Name);
            var (counts, succeeded) = create(project, results).Execute();
            context.BuildServer.PublishTestResults(project.Name, results, counts.Failed > 0 ? FailedTest.FromTrxFiles(results) : []);
            context.TestResults.Add(label, counts);
            context.Summary.Set(label, context.TestResults.ByStage[label].ToString());
            context.Log.Information("{0}{1}: {2}", project.Name, detail is null ? string.Empty : " " + detail, counts);
            if (RuntimeRollForward.Notice(project.Name, project.TargetFrameworks, RuntimeRollForward.InstalledRuntimes) is { } rolledForward)
            {
                context.Log.Information(rolledForward);
            }
            if (!succeeded)
            {
                failed.Add(project.Name);
            }
        }

        return failed;
    }
}
