using Cake.Common.Build.TeamCity;
using Cake.Core.IO;

namespace Recipes.Ci.BuildServers;

/// <summary>
/// TeamCity: a block per task, failures as build problems, JUnit results imported as the build's tests (failed
/// tests show there), the version as the build number.
/// </summary>
internal sealed class TeamCityReporter(ITeamCityProvider teamCity) : IBuildServerReporter
{
    public string Name => "TeamCity";

    public string ShallowCloneFix => "let the agent check out the full history (VCS root: agent-side checkout, no shallow clone) and fetch the tags";

    public void StartTask(string task) => teamCity.WriteStartBlock(task);

    public void EndTask(string task, Exception? failure)
    {
        teamCity.WriteEndBlock(task);
        if (failure is not null)
        {
            teamCity.BuildProblem($"Task '{task}' failed: {failure.Message}", task);
        }
    }

    public void PublishTestResults(string project, string resultsDirectory, IReadOnlyList<FailedTest> failures)
    {
        if (!Directory.Exists(resultsDirectory))
        {
            return;
        }

        foreach (var junit in Directory.EnumerateFiles(resultsDirectory, "*.junit.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            teamCity.ImportData("junit", new FilePath(junit));
        }
    }

    public void SetVersion(string version) => teamCity.SetBuildNumber(version);

    // TeamCity shows the tests, the build number and the problems itself; Cake's report follows in the log.
    public void WriteSummary(RunReport report)
    {
    }
}
