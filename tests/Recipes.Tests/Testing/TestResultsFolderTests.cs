using Recipes.Testing;
using Recipes.Tests.Support;

namespace Recipes.Tests.Testing;

/// <summary>
/// A results folder laid out as dotnet test 10 leaves it with the TRX logger and the coverage collector (seen on a
/// real run: a GUID folder per run, and the TRX deployment folder with a copy) ends up flat, every file kept.
/// </summary>
public sealed class TestResultsFolderTests : IDisposable
{
    private readonly TempDirectory _results = new("recipes-results");

    public void Dispose() => _results.Dispose();

    [Fact]
    public void Coverage_moves_beside_the_TRX_file_named_by_framework_and_no_folder_is_left()
    {
        Run("net8.0", "20261130180350", "_vm_2026-11-30_18_03_49", "<coverage tfm='8'/>");
        Run("net10.0", "20261130180351", "_vm_2026-11-30_18_03_50", "<coverage tfm='10'/>");
        Write("Acme.Tests.net8.0.junit.xml", "<testsuites/>");

        TestResultsFolder.Flatten(_results.Path, "Acme.Tests");

        Directory.EnumerateDirectories(_results.Path).ShouldBeEmpty();
        Directory.EnumerateFiles(_results.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(
        [
            "Acme.Tests.net8.0.junit.xml",
            "Acme.Tests_net10.0_20261130180351.trx",
            "Acme.Tests_net8.0_20261130180350.trx",
            "coverage.net10.0.cobertura.xml",
            "coverage.net8.0.cobertura.xml",
        ]);
        File.ReadAllText(_results.Combine("coverage.net8.0.cobertura.xml")).ShouldBe("<coverage tfm='8'/>");
    }

    [Fact]
    public void A_coverage_file_without_a_TRX_copy_is_kept_under_its_folders_name()
    {
        var guid = Guid.NewGuid().ToString();
        Write(Path.Combine(guid, "coverage.cobertura.xml"), "<coverage/>");

        TestResultsFolder.Flatten(_results.Path, "Acme.Tests");

        Directory.EnumerateDirectories(_results.Path).ShouldBeEmpty();
        File.ReadAllText(_results.Combine($"coverage.{guid}.cobertura.xml")).ShouldBe("<coverage/>");
    }

    private void Run(string framework, string timestamp, string deployment, string coverage)
    {
        Write(Path.Combine(Guid.NewGuid().ToString(), "coverage.cobertura.xml"), coverage);
        Write(Path.Combine(deployment, "In", "vm", "coverage.cobertura.xml"), coverage);
        Write($"Acme.Tests_{framework}_{timestamp}.trx", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <TestSettings name="default"><Deployment runDeploymentRoot="{deployment}" /></TestSettings>
            </TestRun>
            """);
    }

    private void Write(string relativePath, string content)
    {
        var path = _results.Combine(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
