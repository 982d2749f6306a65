using System.Globalization;
using System.Text;
using Recipes.Deployment;
using static Recipes.Insight.SvgCharts;

namespace Recipes.Insight;

/// <summary>
/// The report as one HTML file: styles, script and charts inline, and a content security policy that forbids loading
/// anything, so the page looks the same from a CI server's artifact store, an e-mail, or a laptop offline.
/// </summary>
internal static class ReportPage
{
    public static string Write(ReportData data)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append($"<title>Delivery report: {Encode(data.Environment)}</title><style>{ReportStyle.Css}</style></head><body><main>")
            .Append($"<h1>Delivery report: {Encode(data.Environment)}</h1><p class=\"muted\">{Day(data.Current.Period.From)} to {Day(data.Current.Period.To)}, generated {Day(data.Generated)}</p>");
        FourKeys(html, data);
        DeploymentHistory(html, data);
        ValueStreams(html, data);
        PipelineRun(html, data);
        html.Append("</main><script>").Append(ReportStyle.Script).Append("</script></body></html>");
        return html.ToString();
    }

    private static void FourKeys(StringBuilder html, ReportData data)
    {
        var (current, previous, weeks) = (data.Current, data.Previous, data.Weeks);
        html.Append("<section><h2>The four keys</h2><div class=\"cards\">");
        Card(html, "Deployment frequency", MetricsOutput.Frequency(current), current.FrequencyLevel, MetricsOutput.Frequency(previous),
            Line("frequency", "Deployments per week", [.. weeks.Select(w => Point(w, w.Successful, w.Successful.ToString(CultureInfo.InvariantCulture)))]));
        Card(html, "Lead time for changes", MetricsOutput.LeadTime(current), current.LeadTimeLevel, MetricsOutput.LeadTime(previous),
            Line("lead-time", "Median lead time per week, hours", [.. weeks.Select(w => Point(w, w.LeadTimeMedian?.TotalHours, w.LeadTimeMedian is { } m ? MetricsOutput.Span(m) : "-"))]));
        Card(html, "Change failure rate", MetricsOutput.FailureRate(current), current.ChangeFailureLevel, MetricsOutput.FailureRate(previous),
            Line("failure-rate", "Change failure rate per week", [.. weeks.Select(w => Point(w, w.ChangeFailureRate, MetricsOutput.FailureRate(w)))]));
        Card(html, "Failed deployment recovery", MetricsOutput.Recovery(current), current.RecoveryLevel, MetricsOutput.Recovery(previous),
            Line("recovery", "Median recovery time per week, hours", [.. weeks.Select(w => Point(w, w.RecoveryMedian?.TotalHours, w.RecoveryMedian is { } m ? MetricsOutput.Span(m) : "-"))]));
        html.Append("</div>");
        foreach (var problem in current.Problems)
        {
            html.Append($"<p class=\"note\">Not computed: {Encode(problem)}</p>");
        }

        html.Append("</section>");
    }

    private static ChartPoint Point(KeyFigures week, double? value, string text) => new($"week of {SvgCharts.Day(week.Period.From)}", value, text);

    private static void Card(StringBuilder html, string title, string value, DoraLevel? level, string previous, string chart) =>
        html.Append($"<article class=\"card\"><h3>{Encode(title)}</h3><p class=\"figure\">{Encode(value)}</p>")
            .Append($"<p><span class=\"level {Level(level)}\">{Level(level)}</span> <span class=\"muted\">previous period: {Encode(previous)}</span></p>{chart}</article>");

    private static void DeploymentHistory(StringBuilder html, ReportData data)
    {
        var marks = data.History.Select(r => new HistoryMark(r.Started, $"{r.Version} {Kind(r, data)} {Day(r.Started)}", Kind(r, data))).ToList();
        html.Append("<section><h2>Deployment history</h2>").Append(History(marks, data.Current.Period.From, data.Current.Period.To))
            .Append("<p class=\"legend\"><span class=\"dot ok\"></span>live <span class=\"dot failed\"></span>failed <span class=\"dot rolled-back\"></span>rolled back or followed by a rollback <span class=\"dot rollback\"></span>rollback</p>")
            .Append("<div class=\"scroll\"><table><tr><th>Started</th><th>Kind</th><th>Version</th><th>Outcome</th><th>Who</th><th>Details</th></tr>");
        foreach (var row in data.History.AsEnumerable().Reverse())
        {
            html.Append($"<tr class=\"{Kind(row, data)}\"><td>{Day(row.Started)}</td><td>{row.Kind}</td><td>{Encode(row.Version)}</td><td>{row.Outcome}</td><td>{Encode(row.Who)}</td><td>{Encode(row.Details ?? "")}</td></tr>");
        }

        html.Append("</table></div></section>");
    }

    private static string Kind(DeploymentRecord row, ReportData data) =>
        row.Kind == DeploymentKind.Rollback ? "rollback"
        : row.Outcome == DeploymentOutcome.Failed ? "failed"
        : data.Failures.Contains(row.Id) ? "rolled-back"
        : "ok";

    private static void ValueStreams(StringBuilder html, ReportData data)
    {
        html.Append("<section><h2>Value stream</h2><div class=\"scroll\"><table><tr><th>Version</th><th>Commit</th><th>Package</th><th>Environments: when, waited, who</th></tr>");
        foreach (var stream in data.ValueStreams.AsEnumerable().Reverse())
        {
            var steps = string.Join("", stream.Steps.Select(s =>
                $"<li class=\"{(s.Outcome == DeploymentOutcome.Failed ? "failed" : "ok")}\"><b>{Encode(s.Environment)}</b> {Day(s.Started)}, waited {(s.Wait is { } w ? MetricsOutput.Span(w) : "-")}, {Encode(s.Who)} ({s.Outcome})</li>"));
            html.Append($"<tr><td>{Encode(stream.Version)}</td><td><code>{Encode(stream.Commit[..Math.Min(10, stream.Commit.Length)])}</code> {(stream.Committed is { } c ? Day(c) : "")}</td>")
                .Append($"<td>{(stream.Packaged is { } p ? Day(p) : "-")}</td><td><ol class=\"steps\">{steps}</ol></td></tr>");
        }

        html.Append("</table></div></section>");
    }

    private static void PipelineRun(StringBuilder html, ReportData data)
    {
        html.Append("<section><h2>Pipeline run</h2>");
        if (data.Run is { } run)
        {
            var start = 0.0;
            var bars = new List<TimelineBar>();
            foreach (var task in run.Tasks)
            {
                bars.Add(new TimelineBar(task.Task, start, task.Seconds, task.Status));
                start += task.Seconds;
            }

            html.Append($"<p>{(run.Succeeded ? "Succeeded" : "Failed")}, finished {Day(run.Finished)}</p>").Append(Timeline(bars));
        }
        else
        {
            html.Append("<p class=\"note\">No run recorded in the artifacts folder yet (run.json is written at the end of a pipeline run).</p>");
        }

        html.Append("<h3>Tests</h3><div class=\"scroll\"><table><tr><th>Project</th><th>Passed</th><th>Failed</th><th>Skipped</th><th>Line coverage</th></tr>");
        foreach (var project in data.Tests)
        {
            html.Append($"<tr class=\"{(project.Counts.Failed > 0 ? "failed" : "ok")}\"><td>{Encode(project.Project)}</td><td>{project.Counts.Passed}</td><td>{project.Counts.Failed}</td><td>{project.Counts.Skipped}</td>")
                .Append($"<td>{(project.LineCoverage is { } rate ? rate.ToString("0.0%", CultureInfo.InvariantCulture) : "-")}</td></tr>");
        }

        html.Append("</table></div><h3>Artifacts</h3><div class=\"scroll\"><table><tr><th>Artifact</th><th>Version</th><th>Kind</th><th>SHA-512</th></tr>");
        foreach (var artifact in data.Manifest?.Artifacts ?? [])
        {
            html.Append($"<tr><td>{Encode(artifact.Id)}</td><td>{Encode(artifact.Version)}</td><td>{Encode(artifact.Kind)}</td><td><code class=\"digest\" title=\"{Encode(artifact.Sha512)}\">{Encode(artifact.Sha512)}</code></td></tr>");
        }

        html.Append("</table></div></section>");
    }

    private static string Level(DoraLevel? level) => level?.ToString().ToLowerInvariant() ?? "none";

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
