namespace Recipes.Ci.BuildServers;

/// <summary>One task of a finished run, as Cake's report shows it.</summary>
/// <param name="Task">The task's name.</param>
/// <param name="Status">Executed, Delegated, Skipped or Failed.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="SkipReason">Why it was skipped, when it was.</param>
internal sealed record RunReportTask(string Task, string Status, TimeSpan Duration, string? SkipReason);

/// <summary>A finished run: its tasks and the facts the run summary collected (version, artifacts, test counts).</summary>
/// <param name="Succeeded">Whether the run succeeded.</param>
/// <param name="Tasks">The tasks in the order they ran.</param>
/// <param name="Facts">The run summary's facts, in order.</param>
internal sealed record RunReport(bool Succeeded, IReadOnlyList<RunReportTask> Tasks, IReadOnlyList<KeyValuePair<string, string>> Facts);
