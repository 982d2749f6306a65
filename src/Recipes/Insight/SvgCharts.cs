using System.Globalization;
using System.Net;
using System.Text;

namespace Recipes.Insight;

/// <summary>A value at one place of a chart's x axis, or null where there is nothing to show (a gap, not a zero).</summary>
internal sealed record ChartPoint(string Label, double? Value, string Text);

/// <summary>A mark on the deployment history: when, what, and its class (ok, failed, rolled-back, rollback).</summary>
internal sealed record HistoryMark(DateTimeOffset When, string Text, string Kind);

/// <summary>A bar of the run's timeline: a task, when it started after the run began, and for how long.</summary>
internal sealed record TimelineBar(string Label, double StartSeconds, double Seconds, string Status);

/// <summary>
/// Charts as inline SVG, so the report needs no script library and no other host. Each chart is named by
/// <c>data-chart</c>, and each point, mark or bar carries a <c>title</c> read out on hover.
/// </summary>
internal static class SvgCharts
{
    private const double Width = 320, Height = 120, Left = 8, Right = 8, Top = 10, Bottom = 22;

    // The history and the run's timeline span the page rather than a card: a wider drawing keeps their text small.
    private const double WideWidth = 720;

    /// <summary>A line through the points that have a value, a dot on each, the labels of the first and last below.</summary>
    public static string Line(string name, string description, IReadOnlyList<ChartPoint> points)
    {
        var max = points.Max(p => p.Value) is { } top && top > 0 ? top : 1;
        double X(int i) => points.Count == 1 ? Width / 2 : Left + (i * (Width - Left - Right) / (points.Count - 1));
        double Y(double value) => Top + ((Height - Top - Bottom) * (1 - (value / max)));

        var svg = Open(name, description);
        var path = new StringBuilder();
        var drawing = false;
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Value is { } value)
            {
                path.Append(drawing ? " L" : " M").Append(Number(X(i))).Append(' ').Append(Number(Y(value)));
                drawing = true;
            }
            else
            {
                drawing = false;
            }
        }

        svg.Append($"<line class=\"axis\" x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\"/>");
        if (path.Length > 0)
        {
            svg.Append($"<path class=\"series\" d=\"{path.ToString().Trim()}\"/>");
        }

        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Value is { } value)
            {
                svg.Append($"<circle class=\"point\" cx=\"{Number(X(i))}\" cy=\"{Number(Y(value))}\" r=\"4\"><title>{Encode(points[i].Label + ": " + points[i].Text)}</title></circle>");
            }
        }

        if (points.Count > 0)
        {
            svg.Append($"<text class=\"tick\" x=\"{Left}\" y=\"{Height - 6}\">{Encode(points[0].Label)}</text>");
            svg.Append($"<text class=\"tick end\" x=\"{Width - Right}\" y=\"{Height - 6}\">{Encode(points[^1].Label)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Every deployment and rollback on a time axis from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static string History(IReadOnlyList<HistoryMark> marks, DateTimeOffset from, DateTimeOffset to)
    {
        var span = Math.Max(1, (to - from).TotalSeconds);
        var svg = Open("history", "Deployments and rollbacks over time; failures and rollbacks marked", WideWidth);
        svg.Append($"<line class=\"axis\" x1=\"{Left}\" y1=\"60\" x2=\"{WideWidth - Right}\" y2=\"60\"/>");
        foreach (var mark in marks)
        {
            var x = Left + ((WideWidth - Left - Right) * Math.Clamp((mark.When - from).TotalSeconds / span, 0, 1));
            var y = mark.Kind switch { "ok" => 45, "rollback" => 75, _ => 30 };
            svg.Append($"<circle class=\"mark {mark.Kind}\" cx=\"{Number(x)}\" cy=\"{y}\" r=\"5\"><title>{Encode(mark.Text)}</title></circle>");
        }

        svg.Append($"<text class=\"tick\" x=\"{Left}\" y=\"{Height - 6}\">{Day(from)}</text>");
        svg.Append($"<text class=\"tick end\" x=\"{WideWidth - Right}\" y=\"{Height - 6}\">{Day(to)}</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The run's tasks one under the other, each bar placed at its start and as long as it took.</summary>
    public static string Timeline(IReadOnlyList<TimelineBar> bars)
    {
        var total = Math.Max(0.001, bars.Max(b => b.StartSeconds + b.Seconds));
        var height = 16 + (bars.Count * 18);
        var svg = new StringBuilder($"<svg data-chart=\"run\" role=\"img\" aria-label=\"The run's tasks as a timeline\" viewBox=\"0 0 {WideWidth} {height}\" preserveAspectRatio=\"xMinYMin meet\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var x = 110 + ((WideWidth - 118) * bar.StartSeconds / total);
            var width = Math.Max(1.5, (WideWidth - 118) * bar.Seconds / total);
            var y = 6 + (i * 18);
            svg.Append($"<text class=\"label\" x=\"0\" y=\"{y + 11}\">{Encode(bar.Label)}</text>");
            svg.Append($"<rect class=\"bar {Encode(bar.Status.ToLowerInvariant())}\" x=\"{Number(x)}\" y=\"{y}\" width=\"{Number(width)}\" height=\"14\" rx=\"2\">" +
                       $"<title>{Encode($"{bar.Label}: {bar.Status}, {bar.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s")}</title></rect>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string name, string description, double width = Width) =>
        new($"<svg data-chart=\"{name}\" role=\"img\" aria-label=\"{Encode(description)}\" viewBox=\"0 0 {width} {Height}\" preserveAspectRatio=\"xMidYMid meet\">");

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A short date for axes: Jun 1.</summary>
    public static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture);

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
