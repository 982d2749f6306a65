using Recipes.Artifacts;
using Recipes.Ci.BuildServers;
using Recipes.Insight;

namespace Recipes.Tests.Insight;

/// <summary>
/// An artifacts folder as a pipeline run leaves it: the run's record (four tasks), a manifest of two packages, and
/// one test project's TRX (5 passed, 1 failed, 2 skipped) with its Cobertura coverage (82.3% of lines).
/// </summary>
internal static class ReportArtifacts
{
    public const string ApiDigest = "b9c2f1e0a0d4aa2d3e0c0f77e6bd9b1d1c6a5a0f4f1d2e3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2";

    public static void Write(string root)
    {
        Directory.CreateDirectory(root);
        new ArtifactManifest
        {
            Version = "1.4.0",
            Commit = "0123456789abcdef0123456789abcdef01234567",
            Branch = "main",
            BuildTime = ThirtyDayLedger.Day(19.5),
            Artifacts = [new ArtifactEntry("Acme.Shop.Api", "1.4.0", "deployable", "packages/Acme.Shop.Api.1.4.0.nupkg", ApiDigest),
                         new ArtifactEntry("Acme.Shop.Client", "1.4.0", "library", "packages/Acme.Shop.Client.1.4.0.nupkg", "a1b2c3")],
        }.Write(Path.Combine(root, "manifest.json"));

        RunRecord.Save(Path.Combine(root, RunRecord.FileName), new RunReport(
            true,
            [new RunReportTask("Version", "Executed", TimeSpan.FromSeconds(2), null), new RunReportTask("Compile", "Executed", TimeSpan.FromSeconds(30), null),
             new RunReportTask("FastTests", "Executed", TimeSpan.FromSeconds(45), null), new RunReportTask("Package", "Executed", TimeSpan.FromSeconds(12), null)],
            []), ThirtyDayLedger.Day(19.5));

        var project = Path.Combine(root, "test-results", "Acme.Shop.Tests");
        Directory.CreateDirectory(Path.Combine(project, "run1"));
        var results = string.Join("", new[] { "Passed", "Passed", "Passed", "Passed", "Passed", "Failed", "NotExecuted", "NotExecuted" }
            .Select((outcome, i) => $"<UnitTestResult testName=\"T{i}\" outcome=\"{outcome}\" />"));
        File.WriteAllText(Path.Combine(project, "results.trx"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>{results}</Results>
            <ResultSummary outcome="Failed"><Counters total="8" passed="5" failed="1" notExecuted="2" /></ResultSummary></TestRun>
            """);
        File.WriteAllText(Path.Combine(project, "run1", "coverage.cobertura.xml"), """
            <?xml version="1.0" encoding="utf-8"?>
            <coverage line-rate="0.823" branch-rate="0.7" version="1.9" timestamp="1"><packages /></coverage>
            """);
    }
}
