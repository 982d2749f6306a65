using Recipes.Ci;
using Recipes.Pipeline;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Recipes.Tests.Ci;

/// <summary>
/// GenerateCI and CheckCI through the host, with no solution. The workflow and the environments file are in a
/// temporary folder named by absolute paths: <c>--working</c> would move the test process's current directory.
/// </summary>
public sealed class GenerateCiTests : IDisposable
{
    private const string Environments = """
        environments:
          - name: dev
            artifact: Acme.Shop.Api
            port: 5080
          - name: staging
            artifact: Acme.Shop.Api
            port: 5081
          - name: production
            artifact: Acme.Shop.Api
            port: 5082
            approval: true
        """;

    private readonly TempDirectory _repository = new("recipes-ci");

    public GenerateCiTests() => File.WriteAllText(EnvironmentsFile, Environments);

    private string EnvironmentsFile => _repository.Combine("environments.yml");

    private string Workflow => _repository.Combine(".github", "workflows", "pipeline.yml");

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void The_workflow_has_the_stages_then_one_deploy_job_per_environment_in_promotion_order()
    {
        var result = Run(null, "--target=GenerateCI", "--ci=github");

        result.Exit.ShouldBe(0, result.Error);
        var root = Parse(File.ReadAllText(Workflow));
        var jobs = (YamlMappingNode)root["jobs"];
        jobs.Children.Keys.Select(k => k.ToString()).ShouldBe(
            ["commit-stage", "acceptance-stage", "deploy-dev", "deploy-staging", "deploy-production"]);
        Needs(jobs, "commit-stage").ShouldBeEmpty();
        Needs(jobs, "acceptance-stage").ShouldBe(["commit-stage"]);
        Needs(jobs, "deploy-dev").ShouldBe(["commit-stage", "acceptance-stage"]);
        Needs(jobs, "deploy-staging").ShouldBe(["commit-stage", "deploy-dev"]);
        Needs(jobs, "deploy-production").ShouldBe(["commit-stage", "deploy-staging"]);
        foreach (var environment in new[] { "dev", "staging", "production" })
        {
            var job = (YamlMappingNode)jobs[$"deploy-{environment}"];
            job["environment"].ToString().ShouldBe(environment);
            Runs(job).ShouldContain($"./build.sh --target=Deploy --environment={environment} --deploy-version=${{{{ needs.commit-stage.outputs.version }}}}");
        }

        var commit = (YamlMappingNode)jobs["commit-stage"];
        Runs(commit)[0].ShouldContain("RECIPES_FEED is not set");
        Runs(commit).Skip(1).Take(1).ShouldBe(["./build.sh --target=CommitStage"]);
        Steps(commit).Single(s => s.Children.ContainsKey("id") && s.Children.ContainsKey("run"))["run"].ToString().ShouldBe("./build.sh --target=CommitStage");
        ((YamlMappingNode)commit["outputs"])["version"].ToString().ShouldBe("${{ steps.commit.outputs.version }}");
        var checkout = Steps(commit).First(s => s.Children.ContainsKey("uses") && s["uses"].ToString().StartsWith("actions/checkout@", StringComparison.Ordinal));
        ((YamlMappingNode)checkout["with"])["fetch-depth"].ToString().ShouldBe("0");
        var uploads = Steps(commit).Where(s => s.Children.ContainsKey("uses") && s["uses"].ToString().StartsWith("actions/upload-artifact@", StringComparison.Ordinal))
            .Select(s => ((YamlMappingNode)s["with"])["path"].ToString()).ToList();
        uploads.ShouldBe(["artifacts/manifest.json", "artifacts/packages", "artifacts/report"]);
        var caches = Steps(commit).Where(s => s.Children.ContainsKey("uses") && s["uses"].ToString().StartsWith("actions/cache@", StringComparison.Ordinal))
            .Select(s => (YamlMappingNode)s["with"]).ToList();
        caches.Select(c => c["path"].ToString()).ShouldBe(["~/.nuget/packages", "~/.recipes/cache"]);
        caches[0]["key"].ToString().ShouldContain("hashFiles('**/*.csproj', 'Directory.Packages.props', 'global.json')");
        // The stage cache: the same commit's entry on a retry, else the latest one, which a miss is explained against.
        caches[1]["key"].ToString().ShouldBe("recipes-stages-${{ runner.os }}-${{ github.sha }}");
        caches[1]["restore-keys"].ToString().ShouldBe("recipes-stages-${{ runner.os }}-");
        var steps = Steps(commit).ToList();
        steps.FindLastIndex(s => s.Children.ContainsKey("uses") && s["uses"].ToString().StartsWith("actions/cache@", StringComparison.Ordinal))
            .ShouldBeLessThan(steps.FindIndex(s => s.Children.ContainsKey("id")), "the caches are restored before the commit stage runs");

        var acceptance = (YamlMappingNode)jobs["acceptance-stage"];
        Runs(acceptance).First().ShouldBe("./build.sh --target=AcceptanceStage");
        Steps(acceptance).ShouldContain(s => s.Children.ContainsKey("uses") && s["uses"].ToString().StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        Runs(acceptance).ShouldNotContain(r => r.Contains("CommitStage") || r.Contains("Package"));

        var env = (YamlMappingNode)root["env"];
        env["RECIPES_FEED"].ToString().ShouldBe("${{ vars.RECIPES_FEED }}");
        env["RECIPES_FEED_API_KEY"].ToString().ShouldBe("${{ secrets.RECIPES_FEED_API_KEY }}");
    }

    [Fact]
    public void Without_an_environments_file_there_are_only_the_two_stages()
    {
        // The default environments file, at the test's working directory (the test output folder), which has none.
        File.Exists(Path.Combine(Environment.CurrentDirectory, "environments.yml")).ShouldBeFalse();
        var harness = new HostHarness();
        harness.Host.UseRecipe();

        var exit = harness.Run("--target=GenerateCI", $"--ci-output={Workflow}");

        exit.ShouldBe(0, harness.Error);

        var jobs = (YamlMappingNode)Parse(File.ReadAllText(Workflow))["jobs"];
        jobs.Children.Keys.Select(k => k.ToString()).ShouldBe(["commit-stage", "acceptance-stage"]);
    }

    [Fact]
    public void Generating_twice_writes_the_same_bytes()
    {
        Run(null, "--target=GenerateCI").Exit.ShouldBe(0);
        var first = File.ReadAllBytes(Workflow);

        Run(null, "--target=GenerateCI").Exit.ShouldBe(0);

        File.ReadAllBytes(Workflow).ShouldBe(first);
        first.ShouldNotContain((byte)'\r');
        first.Take(3).ShouldNotBe(new byte[] { 0xEF, 0xBB, 0xBF });
    }

    [Fact]
    public void CheckCI_passes_on_a_fresh_file_and_fails_with_one_line_on_a_hand_edited_or_missing_one()
    {
        Run(null, "--target=CheckCI").ShouldSatisfyAllConditions(
            r => r.Exit.ShouldBe(1),
            r => FailureLine(r).ShouldContain($"{Workflow} is missing; run ./build.sh --target=GenerateCI"));

        Run(null, "--target=GenerateCI").Exit.ShouldBe(0);
        var check = Run(null, "--target=CheckCI", "--ci=github");
        check.Exit.ShouldBe(0, check.Error);

        File.WriteAllText(Workflow, File.ReadAllText(Workflow).Replace("ubuntu-latest", "windows-latest", StringComparison.Ordinal));
        var edited = Run(null, "--target=CheckCI");
        edited.Exit.ShouldBe(1);
        FailureLine(edited).ShouldContain($"{Workflow} differs from what the recipe generates; run ./build.sh --target=GenerateCI --ci=github");
    }

    [Fact]
    public void Every_job_ends_with_the_report_uploaded_and_linked_from_its_summary_also_when_it_failed()
    {
        Run(null, "--target=GenerateCI").Exit.ShouldBe(0);

        var jobs = (YamlMappingNode)Parse(File.ReadAllText(Workflow))["jobs"];
        foreach (var id in new[] { "commit-stage", "acceptance-stage", "deploy-dev", "deploy-staging", "deploy-production" })
        {
            var last = Steps((YamlMappingNode)jobs[id]).TakeLast(3).ToList();
            (last[0]["run"].ToString(), last[0]["if"].ToString()).ShouldBe(("./build.sh --target=Report", "always()"), id);
            (last[1]["uses"].ToString(), last[1]["if"].ToString(), last[1]["id"].ToString()).ShouldBe(("actions/upload-artifact@v4", "always()", "report"), id);
            var with = (YamlMappingNode)last[1]["with"];
            (with["name"].ToString(), with["path"].ToString()).ShouldBe(($"report-{id}", "artifacts/report"), id);
            last[2]["if"].ToString().ShouldBe("always() && steps.report.outputs.artifact-url != ''");
            ((YamlMappingNode)last[2]["env"])["REPORT_URL"].ToString().ShouldBe("${{ steps.report.outputs.artifact-url }}");
            last[2]["run"].ToString().ShouldBe($"echo \"[Pipeline report]($REPORT_URL) (report-{id}: open index.html)\" >> \"$GITHUB_STEP_SUMMARY\"");
        }

        // A file written before the report steps existed drifts from what the recipe generates.
        var withoutReport = string.Join('\n', File.ReadAllText(Workflow).Split('\n').Where(line => !line.Contains("--target=Report", StringComparison.Ordinal)));
        File.WriteAllText(Workflow, withoutReport);
        var check = Run(null, "--target=CheckCI");
        check.Exit.ShouldBe(1);
        FailureLine(check).ShouldContain($"{Workflow} differs from what the recipe generates");
    }

    [Fact]
    public void The_customization_hook_adds_a_step_that_CheckCI_then_expects()
    {
        static void AddLint(CiWorkflow w) =>
            w.Jobs["commit-stage"].Steps.Insert(3, new CiStep { Name = "Lint", Run = "npm ci\nnpm run lint\n", Env = { ["CI"] = "true" } });

        Run(r => r.CustomizeWorkflow = AddLint, "--target=GenerateCI").Exit.ShouldBe(0);

        var commit = (YamlMappingNode)((YamlMappingNode)Parse(File.ReadAllText(Workflow))["jobs"])["commit-stage"];
        var lint = Steps(commit)[3];
        lint["name"].ToString().ShouldBe("Lint");
        lint["run"].ToString().ShouldBe("npm ci\nnpm run lint\n");
        ((YamlMappingNode)lint["env"])["CI"].ToString().ShouldBe("true");
        Run(r => r.CustomizeWorkflow = AddLint, "--target=CheckCI").Exit.ShouldBe(0);
        Run(null, "--target=CheckCI").Exit.ShouldBe(1);
    }

    [Theory]
    [InlineData("GenerateCI", "jenkins")]
    [InlineData("CheckCI", "circleci")]
    public void An_unsupported_CI_server_exits_2_with_one_line(string target, string ci)
    {
        var result = Run(null, $"--target={target}", $"--ci={ci}");

        result.Exit.ShouldBe(2, result.Error);
        OneErrorLine(result).ShouldBe($"Error: --ci={ci} is not supported; supported: github, azure, gitlab.");
        File.Exists(Workflow).ShouldBeFalse();
    }

    internal static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.ShouldHaveSingleItem().RootNode;
    }

    private static List<string> Needs(YamlMappingNode jobs, string job) =>
        ((YamlMappingNode)jobs[job]).Children.TryGetValue("needs", out var needs)
            ? needs is YamlSequenceNode list ? list.Select(n => n.ToString()).ToList() : [needs.ToString()]
            : [];

    private static List<YamlMappingNode> Steps(YamlMappingNode job) =>
        ((YamlSequenceNode)job["steps"]).Cast<YamlMappingNode>().ToList();

    private static List<string> Runs(YamlMappingNode job) =>
        Steps(job).Where(s => s.Children.ContainsKey("run")).Select(s => s["run"].ToString()).ToList();

    private (int Exit, string Output, string Error) Run(Action<RecipeSettings>? configure, params string[] arguments)
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe(configure);
        var exit = harness.Run([$"--environments-file={EnvironmentsFile}", $"--ci-output={Workflow}", .. arguments]);
        return (exit, harness.Output, harness.Error);
    }

    /// <summary>The failure's one line, under the line in which Cake names the failed task.</summary>
    private static string FailureLine((int Exit, string Output, string Error) result)
    {
        var line = result.Error.TrimEnd().Split('\n').Last();
        line.ShouldStartWith("Error: Task 'CheckCI' failed: ");
        return line;
    }

    private static string OneErrorLine((int Exit, string Output, string Error) result) =>
        OneLineError.LineOf(result.Error);
}
