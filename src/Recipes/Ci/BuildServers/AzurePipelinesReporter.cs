using Cake.Common.Build.AzurePipelines;
using Cake.Common.Build.AzurePipelines.Data;
using FilePath = Cake.Core.IO.FilePath;

namespace Recipes.Ci.BuildServers;

/// <summary>
/// Azure Pipelines: a group per task, errors and failed tests as issues, TRX results published to the Tests tab,
/// the version as the build number and the output variable <c>commit.version</c>, the summary as a Markdown tab.
/// </summary>
internal sealed class AzurePipelinesReporter(IAzurePipelinesProvider azure, Func<string, string?> environment) : IBuildServerReporter
{
    public string Name => "Azure Pipelines";

    public string ShallowCloneFix => "add `- checkout: self` with `fetchDepth: 0` to the job (new pipelines fetch shallow by default; GenerateCI does)";

    public void StartTask(string task) => azure.Commands.BeginGroup(task);

    public void EndTask(string task, Exception? failure)
    {
        azure.Commands.EndGroup();
        if (failure is not null)
        {
            azure.Commands.WriteError($"Task '{task}' failed: {failure.Message}");
        }
    }

    public void PublishTestResults(string project, string resultsDirectory, IReadOnlyList<FailedTest> failures)
    {
        foreach (var failure in failures)
        {
            azure.Commands.WriteError($"{project}: {failure.Name} failed: {failure.Message}");
        }

        var trx = Directory.Exists(resultsDirectory)
            ? Directory.EnumerateFiles(resultsDirectory, "*.trx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => new FilePath(f)).ToList()
            : [];
        if (trx.Count > 0)
        {
            azure.Commands.PublishTestResults(new AzurePipelinesPublishTestResultsData
            {
                TestRunner = AzurePipelinesTestRunnerType.VSTest,
                TestResultsFiles = trx,
                TestRunTitle = project,
                MergeTestResults = true,
            });
        }
    }

    public void SetVersion(string version)
    {
        azure.Commands.UpdateBuildNumber(version);
        azure.Commands.SetOutputVariable("version", version);
    }

    public void WriteSummary(RunReport report)
    {
        // The agent reads the file when the step ends, so it lives in the agent's temporary folder, not in the repository.
        var folder = environment("AGENT_TEMPDIRECTORY") is { Length: > 0 } temp ? temp : Path.GetTempPath();
        var file = Path.Combine(folder, "recipes-summary.md");
        File.WriteAllText(file, RunSummaryMarkdown.Write(report));
        azure.Commands.UploadTaskSummary(new FilePath(file));
    }
}
