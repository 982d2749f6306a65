namespace Recipes.Tests.EndToEnd;

/// <summary>How a bad input must end a build: a non-zero exit and one error line, without a stack trace.</summary>
internal static class PipelineErrors
{
    /// <summary>Exit code not 0, and exactly one error line (no stack trace) that contains <paramref name="expected"/>.</summary>
    public static string ShouldFailWithOneLine(ProcessResult result, string expected)
    {
        result.ExitCode.ShouldNotBe(0, result.All);
        var errorLines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("Error:", StringComparison.Ordinal))
            .ToList();
        var line = errorLines.ShouldHaveSingleItem(result.All);
        line.ShouldContain(expected, Case.Insensitive, result.All);
        result.Error.ShouldNotContain("   at ", customMessage: "no stack trace at normal verbosity");
        return line;
    }
}
