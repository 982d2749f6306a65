namespace Recipes.Ci.BuildServers;

/// <summary>
/// What a build tells the CI server it runs on, through Cake.Common's build-system aliases: one log group per task,
/// failures and failed tests as the server's annotations, test result files where the server reads them, the
/// version as the build number, and a summary of the run. On a developer's machine every call does nothing.
/// </summary>
internal interface IBuildServerReporter
{
    /// <summary>The server's name as users know it (<c>GitHub Actions</c>); <c>local</c> off CI.</summary>
    string Name { get; }

    /// <summary>What to change on this server when the clone is shallow, for the Version stage's error.</summary>
    string ShallowCloneFix { get; }

    /// <summary>Opens the log group of a task.</summary>
    void StartTask(string task);

    /// <summary>Closes the log group of a task; a failure becomes an annotation (error, build problem).</summary>
    void EndTask(string task, Exception? failure);

    /// <summary>Hands one test project's results (TRX and JUnit XML below <paramref name="resultsDirectory"/>) to the server.</summary>
    void PublishTestResults(string project, string resultsDirectory, IReadOnlyList<FailedTest> failures);

    /// <summary>Makes the version this run's build number, and an output later jobs read (<c>version</c>).</summary>
    void SetVersion(string version);

    /// <summary>Writes the run's summary where the server shows it, once, at the end, failures included.</summary>
    void WriteSummary(RunReport report);
}
