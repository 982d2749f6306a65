using System.Xml.Linq;

namespace Recipes.Ci.BuildServers;

/// <summary>A test that failed, as a TRX file records it.</summary>
/// <param name="Name">The test's full name.</param>
/// <param name="Message">The assertion's message, first line first.</param>
internal sealed record FailedTest(string Name, string Message)
{
    /// <summary>The failed tests of every TRX file below <paramref name="resultsDirectory"/>.</summary>
    public static IReadOnlyList<FailedTest> FromTrxFiles(string resultsDirectory) =>
        Directory.Exists(resultsDirectory)
            ? Directory.EnumerateFiles(resultsDirectory, "*.trx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).SelectMany(Read).ToList()
            : [];

    private static IEnumerable<FailedTest> Read(string trx)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(trx);
        }
        catch (System.Xml.XmlException)
        {
            // The counts already report a broken file; annotations are a courtesy on top.
            yield break;
        }

        foreach (var result in document.Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
        {
            if (!string.Equals((string?)result.Attribute("outcome"), "Failed", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var message = result.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value.Trim();
            yield return new FailedTest((string?)result.Attribute("testName") ?? "(unnamed test)", string.IsNullOrEmpty(message) ? "failed" : message);
        }
    }
}
