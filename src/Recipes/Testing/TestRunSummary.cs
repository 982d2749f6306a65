namespace Recipes.Testing;

/// <summary>Counts of one or more test runs, read from their TRX files.</summary>
public sealed record TestCounts(int Total, int Passed, int Failed, int Skipped)
{
    /// <summary>No tests.</summary>
    public static TestCounts None { get; } = new(0, 0, 0, 0);

    /// <summary>Both runs' counts together.</summary>
    public static TestCounts operator +(TestCounts a, TestCounts b) =>
        new(a.Total + b.Total, a.Passed + b.Passed, a.Failed + b.Failed, a.Skipped + b.Skipped);

    /// <summary>The counts as a user reads them.</summary>
    public override string ToString() => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    /// <summary>
    /// Reads a Visual Studio TRX file. The outcome of each result decides its count, as the runner's own summary does:
    /// vstest's counters leave a skipped xunit test (outcome NotExecuted) out of notExecuted. Counters only when no results.
    /// </summary>
    public static TestCounts FromTrx(string path) => TrxFile.Load(path).Counts;
}

/// <summary>What the test stages ran, by stage, for the run summary.</summary>
public sealed class TestRunSummary
{
    private readonly Dictionary<string, TestCounts> _byStage = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Counts per stage (FastTests, SlowTests).</summary>
    public IReadOnlyDictionary<string, TestCounts> ByStage => _byStage;

    private readonly Dictionary<string, List<(string Part, TestCounts Counts)>> _parts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds one project's counts to a stage.</summary>
    public void Add(string stage, TestCounts counts) =>
        _byStage[stage] = _byStage.GetValueOrDefault(stage, TestCounts.None) + counts;

    /// <summary>Records the counts of one part of a stage (a project, or a project on one target framework) for <see cref="Describe"/>.</summary>
    internal void AddPart(string stage, string part, TestCounts counts)
    {
        if (!_parts.TryGetValue(stage, out var parts))
        {
            _parts[stage] = parts = [];
        }

        parts.Add((part, counts));
    }

    /// <summary>The stage's total, then each part's counts when there are several: "41 passed, 0 failed, 2 skipped (A net10.0: 20 passed, ...; ...)".</summary>
    internal string Describe(string stage)
    {
        var total = _byStage.GetValueOrDefault(stage, TestCounts.None).ToString();
        return _parts.TryGetValue(stage, out var parts) && parts.Count > 1
            ? $"{total} ({string.Join("; ", parts.Select(p => $"{p.Part}: {p.Counts}"))})"
            : total;
    }
}
