using Cake.Core;
using Cake.Core.Diagnostics;
using Recipes.Ci.BuildServers;
using Recipes.Insight;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Cake's own report printer, given each skipped task's reason (Cake fixes a criterion's message when the task is
/// registered, while a task's ShouldRun only knows its reason when it runs: cake-build/cake #4517), followed by the
/// run's <see cref="RunSummary"/>; the CI server gets the same summary in its own form.
/// </summary>
internal sealed class SummaryReportPrinter(ICakeReportPrinter inner, BuildRunState state, RunSummary summary, IConsole console, IBuildServerReporter buildServer) : ICakeReportPrinter
{
    public void Write(CakeReport report)
    {
        var withReasons = new CakeReport();
        foreach (var entry in report)
        {
            var reason = entry.ExecutionStatus == CakeTaskExecutionStatus.Skipped && string.IsNullOrEmpty(entry.SkippedMessage)
                ? state.SkipReasons.GetValueOrDefault(entry.TaskName, string.Empty)
                : entry.SkippedMessage;
            withReasons.Add(entry.TaskName, reason, entry.Category, entry.Duration, entry.ExecutionStatus);
        }

        inner.Write(withReasons);
        var runReport = new RunReport(
            report.All(e => e.ExecutionStatus != CakeTaskExecutionStatus.Failed) && state.FailedTask is null,
            withReasons.Select(e => new RunReportTask(e.TaskName, e.ExecutionStatus.ToString(), e.Duration, e.SkippedMessage)).ToList(),
            summary.Entries);
        buildServer.WriteSummary(runReport);
        RunRecord.Save(summary.RecordPath, runReport, DateTimeOffset.UtcNow);
        if (summary.Entries.Count == 0)
        {
            return;
        }

        var width = summary.Entries.Max(e => e.Key.Length) + 2;
        foreach (var (label, value) in summary.Entries)
        {
            console.WriteLine($"  {(label + ":").PadRight(width)} {value}");
        }

        console.WriteLine(string.Empty);
    }

    public void WriteLifeCycleStep(string name, Verbosity verbosity) => inner.WriteLifeCycleStep(name, verbosity);

    public void WriteStep(string name, Verbosity verbosity) => inner.WriteStep(name, verbosity);

    public void WriteSkippedStep(string name, Verbosity verbosity) => inner.WriteSkippedStep(name, verbosity);
}
