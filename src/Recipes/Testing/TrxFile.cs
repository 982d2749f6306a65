using System.Xml.Linq;

namespace Recipes.Testing;

/// <summary>One TRX file read back: its counts and the target framework its tests ran on.</summary>
internal sealed record TrxFile(string Path, string Framework, TestCounts Counts)
{
    private static readonly string[] FailedOutcomes = ["Failed", "Error", "Timeout", "Aborted"];

    /// <summary>Every TRX file under <paramref name="resultsDirectory"/>, in name order.</summary>
    public static IReadOnlyList<TrxFile> LoadAll(string resultsDirectory) =>
        Directory.Exists(resultsDirectory)
            ? Directory.EnumerateFiles(resultsDirectory, "*.trx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(Load).ToList()
            : [];

    public static TrxFile Load(string path)
    {
        var document = XDocument.Load(path);
        var counters = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters")
            ?? throw new RecipeException($"The test results file {path} has no Counters element; it is not a complete TRX file.");
        var results = document.Descendants().Where(e => e.Name.LocalName == "UnitTestResult").ToList();
        var counts = results.Count > 0 ? FromOutcomes(results) : FromCounters(counters);
        return new TrxFile(path, FrameworkOf(document), counts);
    }

    private static TestCounts FromOutcomes(List<XElement> results)
    {
        int passed = 0, failed = 0, skipped = 0;
        foreach (var outcome in results.Select(r => (string?)r.Attribute("outcome") ?? string.Empty))
        {
            if (string.Equals(outcome, "Passed", StringComparison.OrdinalIgnoreCase))
            {
                passed++;
            }
            else if (FailedOutcomes.Contains(outcome, StringComparer.OrdinalIgnoreCase))
            {
                failed++;
            }
            else
            {
                // NotExecuted (xunit's Skip), Inconclusive, NotRunnable: the runner reports all of them as skipped.
                skipped++;
            }
        }

        return new TestCounts(results.Count, passed, failed, skipped);
    }

    private static TestCounts FromCounters(XElement counters)
    {
        int Read(string name) => int.TryParse(counters.Attribute(name)?.Value, out var value) ? value : 0;

        var failed = Read("failed") + Read("error") + Read("timeout") + Read("aborted");
        var skipped = Read("notExecuted") + Read("inconclusive");
        return new TestCounts(Read("total"), Read("passed"), failed, skipped);
    }

    /// <summary>The folder the test assembly was built into (bin/Release/net10.0/X.dll gives net10.0), or "" when unknown.</summary>
    private static string FrameworkOf(XDocument document)
    {
        var storage = document.Descendants().Where(e => e.Name.LocalName == "UnitTest")
            .Select(e => (string?)e.Attribute("storage")).FirstOrDefault(s => !string.IsNullOrEmpty(s));
        if (storage is null)
        {
            return string.Empty;
        }

        var folder = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(storage.Replace('\\', '/')) ?? string.Empty);
        return folder.StartsWith("net", StringComparison.OrdinalIgnoreCase) ? folder : string.Empty;
    }
}
