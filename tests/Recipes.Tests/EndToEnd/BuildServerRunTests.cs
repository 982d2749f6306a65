namespace Recipes.Tests.EndToEnd;

/// <summary>
/// The real ./build.sh of recipes/library as a CI server runs it: the server's variables are set on the build's
/// process only. One run on GitHub Actions with a failing unit test, one passing commit stage on TeamCity.
/// </summary>
[Trait("Category", "Slow")]
public sealed class BuildServerRunTests(BuildServerRunTests.Runs runs) : IClassFixture<BuildServerRunTests.Runs>
{
    [Fact]
    public void On_GitHub_Actions_the_failing_test_is_an_annotation_and_the_step_summary_shows_the_run()
    {
        var result = runs.GitHub;

        result.ExitCode.ShouldBe(1, result.All);
        result.Output.ShouldContain("::group::Compile");
        result.Output.ShouldContain("::endgroup::");
        result.Output.ShouldContain("::error title=Acme.Greeter.Tests%3A Acme.Greeter.Tests.BrokenTests.Fails failed::Assert.Equal() Failure");
        result.Output.ShouldContain("::error title=Task 'FastTests' failed::Fast tests failed in Acme.Greeter.Tests");
        File.ReadAllText(runs.GitHubOutput).ShouldMatch(@"^version=0\.0\.1-ci\.\d+", "the version is the commit stage's job output");

        var summary = File.ReadAllText(runs.GitHubSummary);
        summary.ShouldStartWith("### Recipes: build failed");
        summary.ShouldMatch(@"\| Version \| ✅ Executed \| \d+\.\d s \|");
        summary.ShouldMatch(@"\| Compile \| ✅ Executed \| \d+\.\d s \|");
        summary.ShouldContain("| FastTests | ❌ Failed |");
        summary.ShouldMatch(@"\| \*\*Version\*\* \| 0\.0\.1-ci\.\d+ \(main at [0-9a-f]{8}\) \|");
        summary.ShouldContain("| **FastTests** | 1 passed, 1 failed, 0 skipped |");
        summary.ShouldNotContain(runs.ApiKey);
    }

    [Fact]
    public void On_TeamCity_tasks_are_blocks_the_version_is_the_build_number_and_the_JUnit_results_are_imported()
    {
        var result = runs.TeamCity;

        result.ExitCode.ShouldBe(0, result.All);
        result.Output.ShouldContain("##teamcity[blockOpened name='Compile']");
        result.Output.ShouldContain("##teamcity[blockClosed name='Publish']");
        result.Output.ShouldMatch(@"##teamcity\[buildNumber '0\.0\.1-ci\.\d+'\]");
        result.Output.ShouldMatch(@"##teamcity\[importData type='junit' path='[^']*Acme\.Greeter\.Tests[^']*\.junit\.xml'\]");
        result.Output.ShouldNotContain("::group::");
        result.All.ShouldNotContain(runs.ApiKey);
    }

    /// <summary>The two runs, once for the class.</summary>
    public sealed class Runs : IDisposable
    {
        private readonly SampleRepository _gitHubRepository = new();
        private readonly SampleRepository _teamCityRepository = new();

        public Runs()
        {
            // A CI clone has its remote, and GitVersion insists on exactly one when it sees a build server.
            _gitHubRepository.Git("remote", "add", "origin", _gitHubRepository.Repository);
            _teamCityRepository.Git("remote", "add", "origin", _teamCityRepository.Repository);
            GitHubSummary = Path.Combine(_gitHubRepository.Root, "step-summary.md");
            GitHubOutput = Path.Combine(_gitHubRepository.Root, "github-output");
            _gitHubRepository.Write("tests/Acme.Greeter.Tests/BrokenTests.cs", "using Xunit;\n\nnamespace Acme.Greeter.Tests;\n\npublic sealed class BrokenTests\n{\n    [Fact]\n    public void Fails() => Assert.Equal(\"Hi\", Greeter.Greet(\"Ada\"));\n}\n");
            _gitHubRepository.Commit("Break a test");
            _gitHubRepository.Environment["GITHUB_ACTIONS"] = "true";
            _gitHubRepository.Environment["GITHUB_STEP_SUMMARY"] = GitHubSummary;
            _gitHubRepository.Environment["GITHUB_OUTPUT"] = GitHubOutput;
            _gitHubRepository.Environment["RECIPES_FEED_API_KEY"] = ApiKey;
            GitHub = _gitHubRepository.Build("--target=CommitStage");

            _teamCityRepository.Environment["TEAMCITY_VERSION"] = "2025.03";
            _teamCityRepository.Environment["RECIPES_FEED_API_KEY"] = ApiKey;
            TeamCity = _teamCityRepository.Build("--target=CommitStage");
        }

        public string ApiKey { get; } = "oy2-secret-" + Guid.NewGuid().ToString("N");

        public string GitHubSummary { get; }

        public string GitHubOutput { get; }

        public ProcessResult GitHub { get; }

        public ProcessResult TeamCity { get; }

        public void Dispose()
        {
            _gitHubRepository.Dispose();
            _teamCityRepository.Dispose();
        }
    }
}
