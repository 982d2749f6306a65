using System.Xml.Linq;

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

    /// <summary>Reads the counters of a Visual Studio TRX file.</summary>
    public static TestCounts FromTrx(string path)
    {
        var document = XDocument.Load(path);
        var counters = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters")
            ?? throw new RecipeException($"The test results file {path} has no Counters element; it is not a complete TRX file.");

        int Read(string name) => int.TryParse(counters.Attribute(name)?.Value, out var value) ? value : 0;

        var failed = Read("failed") + Read("error") + Read("timeout") + Read("aborted");
        var skipped = Read("notExecuted") + Read("inconclusive");
        return new TestCounts(Read("total"), Read("passed"), failed, skipped);
    }
}

/// <summary>What the test stages ran, by stage, for the run summary.</summary>
public sealed class TestRunSummary
{
    private readonly Dictionary<string, TestCounts> _byStage = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Counts per stage (FastTests, SlowTests).</summary>
    public IReadOnlyDictionary<string, TestCounts> ByStage => _byStage;

    /// <summary>Adds one project's counts to a stage.</summary>
    public void Add(string stage, TestCounts counts) =>
        _byStage[stage] = _byStage.GetValueOrDefault(stage, TestCounts.None) + counts;
}
