using Cake.Common.Build.GitLabCI;
using Cake.Core;
using Cake.Core.IO;

namespace Recipes.Ci.BuildServers;

/// <summary>
/// GitLab CI: a collapsible section per task, the version in a dotenv report (<see cref="DotenvFile"/>) that the
/// generated pipeline hands to the deploy jobs as <see cref="VersionVariable"/>. GitLab reads the JUnit files
/// itself (<c>artifacts:reports:junit</c> in the generated pipeline) and shows failed tests in the merge request.
/// </summary>
internal sealed class GitLabCiReporter(IGitLabCIProvider gitLab, IConsole console, DirectoryPath workingDirectory) : IBuildServerReporter
{
    /// <summary>The dotenv report, relative to the repository root.</summary>
    public const string DotenvFile = "recipes-ci.env";

    /// <summary>The variable later jobs read the version from; not RECIPES_*, which would be taken for a setting.</summary>
    public const string VersionVariable = "PIPELINE_VERSION";

    private readonly Stack<string> _sections = new();

    public string Name => "GitLab CI";

    /// <summary>What a shallow clone's error says on GitLab.</summary>
    public const string FullHistory = "set the variable `GIT_DEPTH: 0` on the job (GitLab fetches 20 commits by default; GenerateCI does)";

    public string ShallowCloneFix => FullHistory;

    // Cake.Common has no GitLab section commands; these are GitLab's documented section markers.
    public void StartTask(string task)
    {
        var id = "recipes_" + new string(task.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray()) + "_" + _sections.Count;
        _sections.Push(id);
        console.WriteLine($"\u001b[0Ksection_start:{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}:{id}[collapsed=false]\r\u001b[0K{task}");
    }

    public void EndTask(string task, Exception? failure)
    {
        if (_sections.TryPop(out var id))
        {
            console.WriteLine($"\u001b[0Ksection_end:{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}:{id}\r\u001b[0K");
        }
    }

    public void PublishTestResults(string project, string resultsDirectory, IReadOnlyList<FailedTest> failures)
    {
    }

    public void SetVersion(string version) =>
        gitLab.Commands.SetEnvironmentVariable(workingDirectory.CombineWithFilePath(DotenvFile), VersionVariable, version);

    public void WriteSummary(RunReport report)
    {
    }
}
