using System.Collections.Concurrent;
using System.Diagnostics;

namespace Recipes.Router;

/// <summary>One destination's counters as <c>GET /metrics</c> returns them.</summary>
public sealed record DestinationMetricsDocument(
    string Name, long Requests, long ServerErrors, double? P95LatencyMs, long Mirrored, long MirrorMismatches, long MirrorDropped);

/// <summary>
/// Per-destination request counts, 5xx counts and latency over a sliding window (the last <see cref="WindowSize"/>
/// responses no older than <see cref="WindowAge"/>), for canary analysis; and for the mirror, copies sent, status
/// mismatches against the live response, and copies dropped because too many were in flight.
/// </summary>
public sealed class TrafficMetrics
{
    /// <summary>How many latest responses the p95 is computed over, at most.</summary>
    public const int WindowSize = 2048;

    /// <summary>How old a response may be to count in the p95.</summary>
    public static readonly TimeSpan WindowAge = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, DestinationCounters> _destinations = new(StringComparer.Ordinal);

    /// <summary>Records a response from <paramref name="destination"/> (live or mirrored).</summary>
    public void RecordResponse(string destination, int statusCode, TimeSpan latency) =>
        Counters(destination).Record(statusCode, latency);

    /// <summary>Records a mirrored copy and whether its status code differed from the live response's.</summary>
    public void RecordMirror(string destination, bool mismatch)
    {
        var counters = Counters(destination);
        Interlocked.Increment(ref counters.Mirrored);
        if (mismatch)
        {
            Interlocked.Increment(ref counters.MirrorMismatches);
        }
    }

    /// <summary>Records a copy that was not sent because the mirror already had too many requests in flight.</summary>
    public void RecordMirrorDropped(string destination) => Interlocked.Increment(ref Counters(destination).MirrorDropped);

    /// <summary>Each destination's totals since the router started, by name: counters and the latency histogram.</summary>
    public IReadOnlyList<DestinationTotals> Totals() =>
        [.. _destinations.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value.Totals(pair.Key))];

    /// <summary>The counters of every destination seen so far, by name.</summary>
    public IReadOnlyList<DestinationMetricsDocument> Snapshot() =>
        [.. _destinations.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value.Snapshot(pair.Key))];

    private DestinationCounters Counters(string destination) => _destinations.GetOrAdd(destination, _ => new DestinationCounters());

    private sealed class DestinationCounters
    {
        public long Requests;
        public long ServerErrors;
        public long Mirrored;
        public long MirrorMismatches;
        public long MirrorDropped;
        private readonly Lock _windowGate = new();
        private readonly long[] _timestamps = new long[WindowSize];
        private readonly long[] _bucketCounts = new long[LatencyHistogram.UpperBoundsSeconds.Length];
        private double _latencySumSeconds;
        private long _latencyCount;
        private readonly double[] _latenciesMs = new double[WindowSize];
        private int _next;
        private int _count;

        public void Record(int statusCode, TimeSpan latency)
        {
            Interlocked.Increment(ref Requests);
            if (statusCode >= 500)
            {
                Interlocked.Increment(ref ServerErrors);
            }

            lock (_windowGate)
            {
                _timestamps[_next] = Stopwatch.GetTimestamp();
                _latenciesMs[_next] = latency.TotalMilliseconds;
                _next = (_next + 1) % WindowSize;
                _count = Math.Min(_count + 1, WindowSize);
                _latencySumSeconds += latency.TotalSeconds;
                _latencyCount++;
                var bucket = Array.FindIndex(LatencyHistogram.UpperBoundsSeconds, bound => latency.TotalSeconds <= bound);
                if (bucket >= 0)
                {
                    _bucketCounts[bucket]++;
                }
            }
        }

        public DestinationTotals Totals(string name)
        {
            lock (_windowGate)
            {
                // The histogram is read under the lock it is written under, so its buckets, count and sum agree.
                return new DestinationTotals(
                    name, Interlocked.Read(ref Requests), Interlocked.Read(ref ServerErrors), [.. _bucketCounts], _latencyCount, _latencySumSeconds);
            }
        }

        public DestinationMetricsDocument Snapshot(string name)
        {
            double? p95 = null;
            lock (_windowGate)
            {
                var oldest = Stopwatch.GetTimestamp() - (long)(WindowAge.TotalSeconds * Stopwatch.Frequency);
                var recent = new List<double>(_count);
                for (var i = 0; i < _count; i++)
                {
                    if (_timestamps[i] >= oldest)
                    {
                        recent.Add(_latenciesMs[i]);
                    }
                }

                if (recent.Count > 0)
                {
                    recent.Sort();
                    var rank = (int)Math.Ceiling(0.95 * recent.Count) - 1;
                    p95 = Math.Round(recent[Math.Clamp(rank, 0, recent.Count - 1)], 3);
                }
            }

            return new DestinationMetricsDocument(
                name,
                Interlocked.Read(ref Requests),
                Interlocked.Read(ref ServerErrors),
                p95,
                Interlocked.Read(ref Mirrored),
                Interlocked.Read(ref MirrorMismatches),
                Interlocked.Read(ref MirrorDropped));
        }
    }
}
