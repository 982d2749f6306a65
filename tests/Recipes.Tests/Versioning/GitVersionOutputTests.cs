using Recipes.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>Reading GitVersion's output as 6.8.2 writes it, without running it.</summary>
public sealed class GitVersionOutputTests
{
    private static readonly GitRepositoryFacts Facts = new("/repo", new string('a', 40), new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_handled_error_gives_the_line_after_GitVersion_s_error_marker()
    {
        var output = """
            INFO [26-11-26 9:30:27:19] Using configuration file './GitVersion.yml'
            WARN [26-11-26 9:30:27:30] An error occurred:
            Could not build the configuration instance because following exception occurred: 'Invalid enum scalar'.
            """;

        GitVersionOutput.FirstErrorLine(new ToolResult(1, output, string.Empty))
            .ShouldBe("Could not build the configuration instance because following exception occurred: 'Invalid enum scalar'.");
    }

    [Fact]
    public void An_unexpected_error_gives_the_exception_message_without_its_type_or_stack()
    {
        var output = """
            ERROR [26-11-26 9:30:30:82] An unexpected error occurred:
            GitVersion.GitVersionException: No commits found on the current branch.
               at GitVersion.GitVersionContextFactory.Create() in /_/src/GitVersion.Core/Core/GitVersionContextFactory.cs:line 26
            """;

        GitVersionOutput.FirstErrorLine(new ToolResult(1, output, string.Empty)).ShouldBe("No commits found on the current branch.");
    }

    [Fact]
    public void Without_a_marker_the_first_line_of_standard_error_is_the_reason()
    {
        GitVersionOutput.FirstErrorLine(new ToolResult(1, string.Empty, "\nCannot find the .git directory\nmore\n"))
            .ShouldBe("Cannot find the .git directory");
    }

    [Fact]
    public void Json_after_log_lines_is_read_and_a_pre_release_is_not_a_release()
    {
        var output = """
            INFO [26-11-26 9:30:27:19] Loading {something}
            {
              "AssemblySemFileVer": "1.2.1.0",
              "AssemblySemVer": "1.2.0.0",
              "BranchName": "main",
              "InformationalVersion": "1.2.1-ci.5+Branch.main.Sha.abc",
              "MajorMinorPatch": "1.2.1",
              "PreReleaseTag": "ci.5",
              "SemVer": "1.2.1-ci.5",
              "Sha": "abc",
              "CommitDate": "2024-05-01"
            }
            """;

        var version = GitVersionOutput.Parse(output, Facts).ShouldNotBeNull();

        version.ShouldBe(new BuildVersion("1.2.1-ci.5", "1.2.0.0", "1.2.1.0", "1.2.1-ci.5+Branch.main.Sha.abc", "abc", "main", false, Facts.CommitDate));
    }

    [Fact]
    public void Missing_assembly_versions_fall_back_to_the_numeric_version()
    {
        var version = GitVersionOutput.Parse("""{ "SemVer": "2.0.0", "MajorMinorPatch": "2.0.0", "AssemblySemVer": null }""", Facts).ShouldNotBeNull();

        version.AssemblyVersion.ShouldBe("2.0.0.0");
        version.FileVersion.ShouldBe("2.0.0.0");
        version.IsRelease.ShouldBeTrue();
        version.Sha.ShouldBe(Facts.HeadSha);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{ \"Sha\": \"abc\" }")]
    public void Output_without_a_SemVer_is_not_a_version(string output) =>
        GitVersionOutput.Parse(output, Facts).ShouldBeNull();
}
