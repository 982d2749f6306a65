using Cake.Core;
using Cake.Core.Diagnostics;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Cake's own report printer, given each skipped task's reason: Cake fixes a criterion's message when the task is
/// registered, while a task's ShouldRun only knows its reason when it runs (cake-build/cake #4517).
/// </summary>
internal sealed class SkipReasonReportPrinter(ICakeReportPrinter inner, BuildRunState state) : ICakeReportPrinter
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
    }

    public void WriteLifeCycleStep(string name, Verbosity verbosity) => inner.WriteLifeCycleStep(name, verbosity);

    public void WriteStep(string name, Verbosity verbosity) => inner.WriteStep(name, verbosity);

    public void WriteSkippedStep(string name, Verbosity verbosity) => inner.WriteSkippedStep(name, verbosity);
}
