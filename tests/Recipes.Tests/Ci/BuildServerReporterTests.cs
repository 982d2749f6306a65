using Cake.Core;
using Recipes.Ci.BuildServers;
using Recipes.Hosting;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;
using Recipes.Tests.Versioning;
using Recipes.Versioning;

namespace Recipes.Tests.Ci;

/// <summary>
/// The host on each CI server, told by the variables the host is given (never the test process's own): log groups,
/// annotations, the version handed on, and the run summary, failures included.
/// </summary>
public sealed class BuildServerReporterTests : IDisposable
{
    private readonly TempDirectory _folder = new("recipes-ci-server");

    public void Dispose() => _folder.Dispose();

    public sealed class Versioned(RunSummary summary) : FrostingTask
    {
        public override void Run(ICakeContext context)
        {
            summary.Set("Version", "1.2.1-ci.5 (main at 0123abcd)");
            summary.Set("FastTests", "2 passed, 1 failed, 0 skipped");
            summary.Set("Artifacts", "Acme.Greeter 1.2.1-ci.5 (sha512 a1b2c3d4e5f6)");
            ((FrostingContext)context).BuildServer.SetVersion("1.2.1-ci.5");
        }
    }

    /// <summary>Hands the TRX files of the folder named by --results to the server, as the test stages do.</summary>
    [IsDependentOn(typeof(Versioned))]
    public sealed class Tested : FrostingTask
    {
        public override void Run(ICakeContext context)
        {
            var results = context.Arguments.GetArgument("results");
            ((FrostingContext)context).BuildServer.PublishTestResults("Acme.Greeter.Tests", results, FailedTest.FromTrxFiles(results));
        }
    }

    [IsDependentOn(typeof(Tested))]
    public sealed class Breaks : FrostingTask
    {
        public override void Run(ICakeContext context) => throw new InvalidOperationException("the disk is full");
    }

    public sealed class Names(Journal journal) : FrostingTask
    {
        public override void Run(ICakeContext context)
        {
            var server = ((FrostingContext)context).BuildServer;
            journal.Add(server.Name);
            journal.Add(server.ShallowCloneFix);
        }
    }

    [Fact]
    public void On_GitHub_Actions_every_task_is_a_group_failures_are_annotations_and_the_summary_is_Markdown()
    {
        var summaryFile = _folder.Combine("step-summary.md");
        var outputFile = _folder.Combine("output");
        var harness = new HostHarness(new()
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = summaryFile,
            ["GITHUB_OUTPUT"] = outputFile,
        });
        harness.Host.AddTask<Breaks>();

        var exit = harness.Run("--target=Breaks", $"--results={WriteTrx()}");

        exit.ShouldBe(1);
        var output = harness.Output;
        output.ShouldContain("::group::Versioned");
        output.ShouldContain("::group::Breaks");
        output.ShouldContain("::endgroup::");
        output.ShouldContain("::error title=Acme.Greeter.Tests%3A Acme.Greeter.Tests.GreeterTests.Greets_in_french failed::Assert.Equal() Failure: Strings differ");
        output.ShouldContain("::error title=Task 'Breaks' failed::the disk is full");
        File.ReadAllText(outputFile).ShouldContain("version=1.2.1-ci.5");

        var summary = File.ReadAllText(summaryFile);
        summary.ShouldStartWith("### Recipes: build failed");
        summary.ShouldMatch(@"\| Versioned \| ✅ Executed \| \d+\.\d s \|");
        summary.ShouldContain("| Breaks | ❌ Failed |");
        summary.ShouldContain("| **Version** | 1.2.1-ci.5 (main at 0123abcd) |");
        summary.ShouldContain("| **FastTests** | 2 passed, 1 failed, 0 skipped |");
        summary.ShouldContain("| **Artifacts** | Acme.Greeter 1.2.1-ci.5 (sha512 a1b2c3d4e5f6) |");
    }

    [Fact]
    public void On_TeamCity_tasks_are_blocks_the_version_is_the_build_number_and_results_are_imported()
    {
        var trx = WriteTrx();
        File.WriteAllText(Path.Combine(trx, "Acme.Greeter.Tests.net10.0.junit.xml"), "<testsuites />");
        var harness = new HostHarness(new() { ["TEAMCITY_VERSION"] = "2025.03" });
        harness.Host.AddTask<Breaks>();

        harness.Run("--target=Breaks", $"--results={trx}").ShouldBe(1);

        var output = harness.Output;
        output.ShouldContain("##teamcity[blockOpened name='Versioned']");
        output.ShouldContain("##teamcity[blockClosed name='Versioned']");
        output.ShouldContain("##teamcity[buildNumber '1.2.1-ci.5']");
        output.ShouldContain($"##teamcity[importData type='junit' path='{Path.Combine(trx, "Acme.Greeter.Tests.net10.0.junit.xml")}']");
        output.ShouldContain("##teamcity[buildProblem description='Task |'Breaks|' failed: the disk is full' identity='Breaks']");
    }

    [Fact]
    public void On_Azure_Pipelines_the_version_is_the_build_number_results_are_published_and_the_summary_uploaded()
    {
        var harness = new HostHarness(new() { ["TF_BUILD"] = "True", ["AGENT_TEMPDIRECTORY"] = _folder.Path });
        harness.Host.AddTask<Breaks>();

        harness.Run("--target=Breaks", $"--results={WriteTrx()}").ShouldBe(1);

        var output = harness.Output;
        output.ShouldContain("##[group]Versioned");
        output.ShouldContain("##[endgroup]");
        output.ShouldContain("##vso[build.updatebuildnumber]1.2.1-ci.5");
        output.ShouldContain("##vso[task.setvariable variable=version;isOutput=true;]1.2.1-ci.5");
        output.ShouldContain("##vso[results.publish type=VSTest;");
        output.ShouldContain("Task 'Breaks' failed: the disk is full");
        output.ShouldContain($"##vso[task.uploadsummary]{_folder.Combine("recipes-summary.md")}");
        File.ReadAllText(_folder.Combine("recipes-summary.md")).ShouldContain("| Breaks | ❌ Failed |");
    }

    [Fact]
    public void Off_CI_the_output_has_no_service_messages()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Breaks>();

        harness.Run("--target=Breaks", $"--results={WriteTrx()}").ShouldBe(1);

        harness.Output.ShouldNotContain("::");
        harness.Output.ShouldNotContain("##");
        harness.Output.ShouldNotContain("section_start");
    }

    [Theory]
    [InlineData("GITHUB_ACTIONS=true", "GitHub Actions", "fetch-depth: 0")]
    [InlineData("TF_BUILD=True", "Azure Pipelines", "fetchDepth: 0")]
    [InlineData("GITLAB_CI=true;CI_SERVER=yes", "GitLab CI", "GIT_DEPTH: 0")]
    [InlineData("TEAMCITY_VERSION=2025.03", "TeamCity", "full history")]
    [InlineData("JENKINS_URL=https://jenkins.example/", "Jenkins", "shallow clone")]
    public void Each_server_is_told_apart_and_says_how_to_fetch_the_full_history(string variables, string name, string fix)
    {
        var environment = variables.Split(';').Select(v => v.Split('=', 2)).ToDictionary(v => v[0], v => v[1]);
        // Azure Pipelines' summary goes to the agent's temp folder: this test's own, not the machine's.
        environment["AGENT_TEMPDIRECTORY"] = _folder.Path;
        var harness = new HostHarness(environment);
        harness.Host.AddTask<Names>();

        harness.Run("--target=Names").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe([name, harness.Journal.Entries[1]]);
        harness.Journal.Entries[1].ShouldContain(fix);
    }

    [Fact]
    public void A_shallow_clone_on_GitLab_is_told_to_set_GIT_DEPTH()
    {
        using var source = TestGitRepository.Create();
        source.Commit("first");
        source.Commit("second");
        using var clone = TestGitRepository.ShallowCloneOf(source);

        var failure = Should.Throw<VersioningException>(() =>
            new GitVersionCalculator(null, TestGitRepository.Environment) { ShallowCloneFix = GitLabCiReporter.FullHistory }.Calculate(clone.Directory));

        failure.Message.ShouldContain("is shallow");
        failure.Message.ShouldContain("`GIT_DEPTH: 0`");
        failure.Message.ShouldNotContain("fetch-depth");
    }

    /// <summary>A results folder with one TRX file: one passed and one failed test.</summary>
    private string WriteTrx()
    {
        var folder = _folder.Combine("results", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Acme.Greeter.Tests.trx"), """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
                <UnitTestResult testName="Acme.Greeter.Tests.GreeterTests.Greets" outcome="Passed" />
                <UnitTestResult testName="Acme.Greeter.Tests.GreeterTests.Greets_in_french" outcome="Failed">
                  <Output><ErrorInfo><Message>Assert.Equal() Failure: Strings differ</Message><StackTrace>at GreeterTests.cs:line 12</StackTrace></ErrorInfo></Output>
                </UnitTestResult>
              </Results>
              <ResultSummary outcome="Failed"><Counters total="2" executed="2" passed="1" failed="1" /></ResultSummary>
            </TestRun>
            """);
        return folder;
    }
}
