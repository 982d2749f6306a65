using Cake.Common.Build.GitHubActions;
using Cake.Common.Build.GitHubActions.Data;

namespace Recipes.Ci.BuildServers;

/// <summary>
/// GitHub Actions: a collapsible group per task, errors and failed tests as annotations, the version as the step
/// output <c>version</c> (the generated workflow hands it to the deploy jobs), the summary as Markdown in
/// <c>GITHUB_STEP_SUMMARY</c>. GitHub has no test-result store; the workflow uploads the result files.
/// </summary>
internal sealed class GitHubActionsReporter(IGitHubActionsProvider gitHub) : IBuildServerReporter
{
    public string Name => "GitHub Actions";

    public string ShallowCloneFix => "give actions/checkout `fetch-depth: 0` in the workflow (GenerateCI does)";

    public void StartTask(string task) => gitHub.Commands.StartGroup(task);

    public void EndTask(string task, Exception? failure)
    {
        gitHub.Commands.EndGroup();
        if (failure is not null)
        {
            gitHub.Commands.Error(failure.Message, new GitHubActionsAnnotation { Title = $"Task '{task}' failed" });
        }
    }

    public void PublishTestResults(string project, string resultsDirectory, IReadOnlyList<FailedTest> failures)
    {
        foreach (var failure in failures)
        {
            gitHub.Commands.Error(failure.Message, new GitHubActionsAnnotation { Title = $"{project}: {failure.Name} failed" });
        }
    }

    public void SetVersion(string version)
    {
        if (gitHub.Environment.Runtime.OutputPath is not null)
        {
            gitHub.Commands.SetOutputParameter("version", version);
        }
    }

    public void WriteSummary(RunReport report)
    {
        if (gitHub.Environment.Runtime.StepSummary is not null)
        {
            gitHub.Commands.SetStepSummary(RunSummaryMarkdown.Write(report));
        }
    }
}
