using Recipes.Artifacts;
using Recipes.Deployment;
using Recipes.Testing;

namespace Recipes.Insight;

/// <summary>
/// One environment's step of a version's way to production; the wait runs from the step before (the previous
/// environment, the package, or the commit) to this one's start.
/// </summary>
internal sealed record ValueStreamStep(string Environment, DateTimeOffset Started, DateTimeOffset? Ended, TimeSpan? Wait, string Who, DeploymentOutcome Outcome);

/// <summary>A version from its commit through its package to each environment it reached.</summary>
internal sealed record ValueStream(string Version, string Commit, DateTimeOffset? Committed, DateTimeOffset? Packaged, IReadOnlyList<ValueStreamStep> Steps);

/// <summary>Tests of one project, from its TRX files, and its line coverage when a Cobertura file is there.</summary>
internal sealed record ProjectTests(string Project, TestCounts Counts, double? LineCoverage);

/// <summary>Everything the HTML report shows, gathered from the ledger, git and the artifacts folder.</summary>
internal sealed record ReportData(
    string Environment,
    DateTimeOffset Generated,
    KeyFigures Current,
    KeyFigures Previous,
    IReadOnlyList<KeyFigures> Weeks,
    IReadOnlyList<DeploymentRecord> History,
    IReadOnlySet<long> Failures,
    IReadOnlyList<ValueStream> ValueStreams,
    RunRecord? Run,
    IReadOnlyList<ProjectTests> Tests,
    ArtifactManifest? Manifest)
{
    /// <summary>
    /// Gathers the report of <paramref name="environment"/> over <paramref name="period"/> from every environment's
    /// rows (oldest first, by name), the environments in promotion order, git and the artifacts folder.
    /// </summary>
    public static ReportData Collect(
        IReadOnlyDictionary<string, IReadOnlyList<DeploymentRecord>> rows, IReadOnlyList<string> environments, string environment,
        MetricsPeriod period, ICommitHistory commits, string artifactsRoot, DateTimeOffset now)
    {
        var own = rows.GetValueOrDefault(environment) ?? [];
        var manifestPath = Path.Combine(artifactsRoot, "manifest.json");
        var manifest = File.Exists(manifestPath) ? ArtifactManifest.Read(manifestPath) : null;
        var history = own.Where(r => r.Kind != DeploymentKind.Release && r.Outcome != DeploymentOutcome.Running && period.Contains(r.Started)).ToList();
        return new ReportData(
            environment,
            now,
            DeliveryMetrics.Compute(own, period, commits),
            DeliveryMetrics.Compute(own, period.Previous, commits),
            [.. WeeksOf(period).Select(week => DeliveryMetrics.Compute(own, week, commits))],
            history,
            history.Where(r => DeliveryMetrics.IsFailure(r, history)).Select(r => r.Id).ToHashSet(),
            StreamsOf(rows, environments, period, commits, manifest),
            RunRecord.Load(artifactsRoot),
            TestsIn(Path.Combine(artifactsRoot, "test-results")),
            manifest);
    }

    /// <summary>Weeks back from the end of the period; the oldest is cut at the period's start.</summary>
    private static List<MetricsPeriod> WeeksOf(MetricsPeriod period)
    {
        var weeks = new List<MetricsPeriod>();
        for (var end = period.To; end > period.From; end -= TimeSpan.FromDays(7))
        {
            var start = end - TimeSpan.FromDays(7);
            weeks.Insert(0, new MetricsPeriod(start < period.From ? period.From : start, end));
        }

        return weeks;
    }

    private static List<ValueStream> StreamsOf(
        IReadOnlyDictionary<string, IReadOnlyList<DeploymentRecord>> rows, IReadOnlyList<string> environments, MetricsPeriod period,
        ICommitHistory commits, ArtifactManifest? manifest)
    {
        var moves = environments.SelectMany(name => rows.GetValueOrDefault(name) ?? [])
            .Where(r => DeliveryMetrics.IsForward(r) && r.Outcome != DeploymentOutcome.Running && period.Contains(r.Started))
            .ToList();
        var streams = new List<ValueStream>();
        foreach (var version in moves.OrderBy(r => r.Started).Select(r => r.Version).Distinct(StringComparer.Ordinal))
        {
            var first = moves.First(r => r.Version == version);
            var lookup = commits.Between(null, first.Commit);
            DateTimeOffset? committed = lookup.Problem is null && lookup.Commits.Count > 0 ? lookup.Commits[0].Committed : null;
            DateTimeOffset? packaged = manifest?.Version == version ? manifest.BuildTime : null;
            var steps = new List<ValueStreamStep>();
            var before = packaged ?? committed;
            foreach (var name in environments)
            {
                // The last attempt in each environment tells where the version ended up there.
                if (moves.LastOrDefault(r => r.Environment == name && r.Version == version) is not { } row)
                {
                    continue;
                }

                steps.Add(new ValueStreamStep(name, row.Started, row.Ended, before is { } since ? row.Started - since : null, row.Who, row.Outcome));
                before = row.Ended ?? row.Started;
            }

            streams.Add(new ValueStream(version, first.Commit, committed, packaged, steps));
        }

        return streams;
    }

    /// <summary>One entry per folder of test-results (a test project), counting its TRX files, with its Cobertura line rate.</summary>
    private static List<ProjectTests> TestsIn(string resultsRoot)
    {
        if (!Directory.Exists(resultsRoot))
        {
            return [];
        }

        return [.. Directory.GetDirectories(resultsRoot).Order(StringComparer.Ordinal).Select(folder =>
        {
            var counts = TrxFile.LoadAll(folder).Select(t => t.Counts).Aggregate(TestCounts.None, (a, b) => new TestCounts(a.Total + b.Total, a.Passed + b.Passed, a.Failed + b.Failed, a.Skipped + b.Skipped));
            return new ProjectTests(Path.GetFileName(folder), counts, Coverage(folder));
        }).Where(p => p.Counts.Total > 0)];
    }

    private static double? Coverage(string folder)
    {
        var file = Directory.EnumerateFiles(folder, "coverage.cobertura.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault();
        var rate = file is null ? null : System.Xml.Linq.XDocument.Load(file).Root?.Attribute("line-rate")?.Value;
        return double.TryParse(rate, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
