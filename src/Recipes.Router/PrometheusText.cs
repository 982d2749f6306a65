using System.Globalization;
using System.Text;

namespace Recipes.Router;

/// <summary>One destination's totals since the router started, with its latency histogram (per-bucket, not cumulative).</summary>
public sealed record DestinationTotals(
    string Name, long Requests, long ServerErrors, IReadOnlyList<long> LatencyBuckets, long LatencyCount, double LatencySumSeconds);

/// <summary>The latency histogram's bucket bounds: Prometheus client libraries' defaults, in seconds.</summary>
public static class LatencyHistogram
{
    /// <summary>The upper bound of each bucket; slower responses count only in +Inf.</summary>
    public static readonly double[] UpperBoundsSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
}

/// <summary>
/// The router's metrics in Prometheus' text exposition format (version 0.0.4), so a team's own monitoring can scrape
/// them. A destination is named <c>slot-deployment</c> by the deployer (blue-12); its labels split that into the
/// slot and the release (the ledger row that deployed it), so dashboards can group by either.
/// </summary>
public static class PrometheusText
{
    /// <summary>The content type Prometheus expects for this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Requests, 5xx responses and the latency histogram of every destination.</summary>
    public static string Write(IReadOnlyList<DestinationTotals> destinations)
    {
        var text = new StringBuilder();
        Family(text, "recipes_router_requests_total", "counter", "Requests the router forwarded, by destination.", destinations,
            (labels, d) => Sample(text, "recipes_router_requests_total", labels, d.Requests));
        Family(text, "recipes_router_server_errors_total", "counter", "Responses with a 5xx status, by destination.", destinations,
            (labels, d) => Sample(text, "recipes_router_server_errors_total", labels, d.ServerErrors));
        Family(text, "recipes_router_request_duration_seconds", "histogram", "Time from forwarding a request to its response, by destination.", destinations,
            (labels, d) =>
            {
                long cumulative = 0;
                for (var i = 0; i < LatencyHistogram.UpperBoundsSeconds.Length; i++)
                {
                    cumulative += d.LatencyBuckets[i];
                    Sample(text, "recipes_router_request_duration_seconds_bucket", $"{labels},le=\"{Number(LatencyHistogram.UpperBoundsSeconds[i])}\"", cumulative);
                }

                Sample(text, "recipes_router_request_duration_seconds_bucket", labels + ",le=\"+Inf\"", d.LatencyCount);
                text.Append("recipes_router_request_duration_seconds_sum{").Append(labels).Append("} ").Append(Number(d.LatencySumSeconds)).Append('\n');
                Sample(text, "recipes_router_request_duration_seconds_count", labels, d.LatencyCount);
            });
        return text.ToString();
    }

    private static void Family(
        StringBuilder text, string name, string type, string help, IReadOnlyList<DestinationTotals> destinations, Action<string, DestinationTotals> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var destination in destinations)
        {
            samples(Labels(destination.Name), destination);
        }
    }

    private static void Sample(StringBuilder text, string name, string labels, long value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    /// <summary>destination, slot and release; a name the deployer did not make keeps itself as the slot and no release.</summary>
    private static string Labels(string destination)
    {
        var dash = destination.LastIndexOf('-');
        var split = dash > 0 && long.TryParse(destination.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
        var slot = split ? destination[..dash] : destination;
        var release = split ? destination[(dash + 1)..] : string.Empty;
        return $"destination=\"{Escape(destination)}\",slot=\"{Escape(slot)}\",release=\"{Escape(release)}\"";
    }

    // The format escapes backslash, double quote and line feed in label values.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
