using System.Globalization;
using System.Text;

namespace Recipes.Ci.BuildServers;

/// <summary>The run summary as GitHub-flavoured Markdown: each task with its status and duration, then the run's facts.</summary>
internal static class RunSummaryMarkdown
{
    public static string Write(RunReport report)
    {
        var text = new StringBuilder();
        text.Append("### Recipes: build ").Append(report.Succeeded ? "succeeded" : "failed").Append("\n\n");
        text.Append("| Task | Status | Duration |\n| --- | --- | ---: |\n");
        foreach (var task in report.Tasks)
        {
            var status = task.Status switch
            {
                "Failed" => "❌ Failed",
                "Skipped" => task.SkipReason is { Length: > 0 } reason ? $"Skipped: {reason}" : "Skipped",
                "Executed" => "✅ Executed",
                _ => task.Status,
            };
            text.Append(CultureInfo.InvariantCulture, $"| {Cell(task.Task)} | {Cell(status)} | {Duration(task)} |\n");
        }

        if (report.Facts.Count > 0)
        {
            text.Append("\n| | |\n| --- | --- |\n");
            foreach (var (label, value) in report.Facts)
            {
                text.Append(CultureInfo.InvariantCulture, $"| **{Cell(label)}** | {Cell(value)} |\n");
            }
        }

        return text.ToString();
    }

    private static string Duration(RunReportTask task) =>
        task.Status == "Skipped" ? string.Empty : task.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    // A pipe ends a table cell and a line break ends the row.
    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
