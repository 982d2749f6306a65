using System.Globalization;
using Recipes.Deployment.Routing;

namespace Recipes.Deployment.Hosts;

/// <summary>
/// The hosts balancer's access log, one line per answered request in nginx's <c>recipes</c> format
/// (<c>$upstream_addr $status $upstream_response_time</c>), read from a byte offset on: the numbers a canary step is
/// judged on, per upstream server, without a second copy of the router's metrics.
/// </summary>
internal static class NginxAccessLog
{
    /// <summary>The <c>log_format</c> line nginx.conf declares.</summary>
    public const string Format = "log_format recipes '$upstream_addr $status $upstream_response_time';";

    /// <summary>The log's length now: the offset a later <see cref="ReadSince"/> starts at.</summary>
    public static long Length(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

    /// <summary>The requests logged after <paramref name="offset"/>, grouped by the upstream server that answered.</summary>
    public static IReadOnlyList<UpstreamAnswer> ReadSince(string file, long offset)
    {
        if (!File.Exists(file))
        {
            return [];
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var answers = new List<UpstreamAnswer>();
        while (reader.ReadLine() is { } line)
        {
            if (Parse(line) is { } answer)
            {
                answers.Add(answer);
            }
        }

        return answers;
    }

    /// <summary>
    /// One line, or null when nginx answered itself (no upstream) or the line is cut. When nginx tried a next upstream
    /// the fields list each attempt (<c>a, b</c>); the last one gave the answer.
    /// </summary>
    internal static UpstreamAnswer? Parse(string line)
    {
        // nginx separates attempts with ", ", fields with " ": joined first, each field is one word.
        var fields = line.Replace(", ", ",", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3 || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return null;
        }

        var server = fields[0].Split(',')[^1];
        var seconds = double.TryParse(fields[2].Split(',')[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var time) ? time : (double?)null;
        return server is "-" or "" ? null : new UpstreamAnswer(server, status, seconds * 1000);
    }

    /// <summary>The router's kind of numbers for the answers of the servers <paramref name="belongs"/> picks.</summary>
    public static DestinationMetrics Metrics(string name, IEnumerable<UpstreamAnswer> answers, Func<string, bool> belongs)
    {
        var picked = answers.Where(answer => belongs(answer.Server)).ToList();
        var latencies = picked.Where(answer => answer.LatencyMs is not null).Select(answer => answer.LatencyMs!.Value).Order().ToList();
        double? p95 = latencies.Count == 0 ? null : latencies[Math.Max(0, (int)Math.Ceiling(latencies.Count * 0.95) - 1)];
        return new DestinationMetrics(name, picked.Count, picked.Count(answer => answer.Status >= 500), p95, 0, 0, 0);
    }
}

/// <summary>One answered request of the access log.</summary>
/// <param name="Server">The upstream server that answered (<c>address:port</c>).</param>
/// <param name="Status">The status nginx sent to the client.</param>
/// <param name="LatencyMs">The upstream's response time, when nginx logged one.</param>
internal sealed record UpstreamAnswer(string Server, int Status, double? LatencyMs);
