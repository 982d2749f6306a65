namespace Recipes.Ci.BuildServers;

/// <summary>
/// A place whose log needs nothing added: a developer's machine (the output stays exactly as it is), or Jenkins,
/// whose Cake.Common provider reads the environment only (its pipeline's <c>junit</c> step reads the JUnit files).
/// </summary>
internal sealed class QuietReporter(string name, string shallowCloneFix) : IBuildServerReporter
{
    public static QuietReporter Local { get; } = new("local", "run `git fetch --unshallow` there, or on CI check out the full history");

    public string Name => name;

    public string ShallowCloneFix => shallowCloneFix;

    public void StartTask(string task)
    {
    }

    public void EndTask(string task, Exception? failure)
    {
    }

    public void PublishTestResults(string project, string resultsDirectory, IReadOnlyList<FailedTest> failures)
    {
    }

    public void SetVersion(string version)
    {
    }

    public void WriteSummary(RunReport report)
    {
    }
}
