using Recipes.Ci;
using Recipes.Pipeline;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Recipes.Tests.Ci;

/// <summary>
/// GenerateCI and CheckCI for Azure Pipelines and GitLab CI: the files parse, and carry the stages, the deploy jobs in
/// promotion order with their environments, the version handed from the commit stage, and the full history.
/// </summary>
public sealed class AzureAndGitLabTests : IDisposable
{
    private const string Environments = """
        environments:
          - name: dev
            artifact: Acme.Shop.Api
            port: 5080
          - name: production
            artifact: Acme.Shop.Api
            port: 5082
            approval: true
        """;

    private readonly TempDirectory _repository = new("recipes-ci-servers");

    public AzureAndGitLabTests() => File.WriteAllText(_repository.Combine("environments.yml"), Environments);

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Azure_Pipelines_has_the_stages_then_a_deployment_job_per_environment_with_the_commit_stages_version()
    {
        var (exit, error, root) = Generate("azure", "azure-pipelines.yml");

        exit.ShouldBe(0, error);
        var jobs = ((YamlSequenceNode)root["jobs"]).Cast<YamlMappingNode>().ToList();
        jobs.Select(j => j.Children.ContainsKey("job") ? $"job {j["job"]}" : $"deployment {j["deployment"]}").ShouldBe(
            ["job commit_stage", "job acceptance_stage", "deployment deploy_dev", "deployment deploy_production"]);
        DependsOn(jobs[0]).ShouldBeEmpty();
        DependsOn(jobs[1]).ShouldBe(["commit_stage"]);
        DependsOn(jobs[2]).ShouldBe(["commit_stage", "acceptance_stage"]);
        DependsOn(jobs[3]).ShouldBe(["commit_stage", "deploy_dev"]);

        var commitSteps = (YamlSequenceNode)jobs[0]["steps"];
        ((YamlMappingNode)commitSteps[0])["script"].ToString().ShouldContain("RECIPES_FEED is not set");
        var checkout = (YamlMappingNode)commitSteps[1];
        checkout["checkout"].ToString().ShouldBe("self");
        checkout["fetchDepth"].ToString().ShouldBe("0");
        var build = commitSteps.Cast<YamlMappingNode>().Single(s => s.Children.ContainsKey("script") && s["script"].ToString().StartsWith("./build.sh --target=CommitStage", StringComparison.Ordinal));
        build["script"].ToString().ShouldBe("./build.sh --target=CommitStage");
        build["name"].ToString().ShouldBe("commit");
        ((YamlMappingNode)build["env"])["RECIPES_FEED_API_KEY"].ToString().ShouldBe("$(RECIPES_FEED_API_KEY)");
        var caches = commitSteps.Cast<YamlMappingNode>().Where(s => s.Children.ContainsKey("task") && s["task"].ToString() == "Cache@2").Select(s => (YamlMappingNode)s["inputs"]).ToList();
        caches.Select(c => c["path"].ToString()).ShouldBe(["$(NUGET_PACKAGES)", "$(RECIPES_CACHE_DIRECTORY)"]);
        caches[1]["key"].ToString().ShouldBe("recipes-stages | \"$(Agent.OS)\" | \"$(Build.SourceVersion)\"");
        caches[1]["restoreKeys"].ToString().ShouldBe("recipes-stages | \"$(Agent.OS)\"");
        ((YamlMappingNode)root["variables"])["RECIPES_CACHE_DIRECTORY"].ToString().ShouldBe("$(Pipeline.Workspace)/.recipes/cache");

        foreach (var (job, environment) in new[] { (jobs[2], "dev"), (jobs[3], "production") })
        {
            job["environment"].ToString().ShouldBe(environment);
            ((YamlMappingNode)job["variables"])["recipesVersion"].ToString().ShouldBe("$[ dependencies.commit_stage.outputs['commit.version'] ]");
            var steps = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)job["strategy"])["runOnce"])["deploy"])["steps"];
            steps.Cast<YamlMappingNode>().Where(s => s.Children.ContainsKey("script")).Select(s => s["script"].ToString())
                .ShouldBe([$"./build.sh --target=Deploy --environment={environment} --deploy-version=$(recipesVersion)", "./build.sh --target=Report"]);
            steps.Cast<YamlMappingNode>().ShouldContain(s => s.Children.ContainsKey("task") && s["task"].ToString() == "DownloadPipelineArtifact@2");
        }
    }

    [Fact]
    public void GitLab_has_the_stages_then_a_deploy_job_per_environment_with_full_history_and_test_reports()
    {
        var (exit, error, root) = Generate("gitlab", ".gitlab-ci.yml");

        exit.ShouldBe(0, error);
        var jobs = root.Children.Where(c => c.Value is YamlMappingNode job && job.Children.ContainsKey("script"))
            .ToDictionary(c => c.Key.ToString(), c => (YamlMappingNode)c.Value);
        jobs.Keys.ShouldBe(["commit-stage", "acceptance-stage", "deploy-dev", "deploy-production"]);
        Needs(jobs["commit-stage"]).ShouldBeEmpty();
        Needs(jobs["acceptance-stage"]).ShouldBe(["commit-stage"]);
        Needs(jobs["deploy-dev"]).ShouldBe(["commit-stage", "acceptance-stage"]);
        Needs(jobs["deploy-production"]).ShouldBe(["commit-stage", "deploy-dev"]);

        var commit = jobs["commit-stage"];
        ((YamlMappingNode)commit["variables"])["GIT_DEPTH"].ToString().ShouldBe("0");
        Script(commit)[0].ShouldContain("RECIPES_FEED is not set");
        Script(commit).Skip(1).ShouldBe(["./build.sh --target=CommitStage"]);
        var reports = (YamlMappingNode)((YamlMappingNode)commit["artifacts"])["reports"];
        reports["junit"].ToString().ShouldBe("artifacts/test-results/**/*.junit.xml");
        reports["dotenv"].ToString().ShouldBe("recipes-ci.env");
        var caches = ((YamlSequenceNode)commit["cache"]).Cast<YamlMappingNode>().ToList();
        caches.Select(c => string.Join(",", ((YamlSequenceNode)c["paths"]).Select(p => p.ToString()))).ShouldBe([".nuget/packages", ".recipes-cache"]);
        (caches[1]["key"].ToString(), caches[1]["when"].ToString()).ShouldBe(("recipes-stages-$CI_COMMIT_REF_SLUG", "always"));
        ((YamlSequenceNode)caches[1]["fallback_keys"]).Select(k => k.ToString()).ShouldBe(["recipes-stages-$CI_DEFAULT_BRANCH"]);
        ((YamlMappingNode)commit["variables"])["RECIPES_CACHE_DIRECTORY"].ToString().ShouldBe("$CI_PROJECT_DIR/.recipes-cache", "GitLab caches only under the project's folder");

        foreach (var environment in new[] { "dev", "production" })
        {
            var deploy = jobs[$"deploy-{environment}"];
            ((YamlMappingNode)deploy["environment"])["name"].ToString().ShouldBe(environment);
            Script(deploy).ShouldBe([$"./build.sh --target=Deploy --environment={environment} --deploy-version=$PIPELINE_VERSION"]);
        }
    }

    [Fact]
    public void Azure_Pipelines_and_GitLab_run_the_report_at_the_end_of_every_job_also_when_it_failed_and_keep_it()
    {
        var (_, _, azure) = Generate("azure", "azure-pipelines.yml");
        foreach (var job in ((YamlSequenceNode)azure["jobs"]).Cast<YamlMappingNode>())
        {
            var id = (job.Children.ContainsKey("job") ? job["job"] : job["deployment"]).ToString();
            var steps = (YamlSequenceNode)(job.Children.ContainsKey("steps") ? job["steps"] : ((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)job["strategy"])["runOnce"])["deploy"])["steps"]);
            var last = steps.Cast<YamlMappingNode>().TakeLast(2).ToList();
            (last[0]["script"].ToString(), last[0]["condition"].ToString()).ShouldBe(("./build.sh --target=Report", "always()"), id);
            last[0].Children.ContainsKey("env").ShouldBeFalse("the report needs no feed key");
            (last[1]["task"].ToString(), last[1]["condition"].ToString()).ShouldBe(("PublishPipelineArtifact@1", "always()"), id);
            var inputs = (YamlMappingNode)last[1]["inputs"];
            (inputs["targetPath"].ToString(), inputs["artifact"].ToString()).ShouldBe(("artifacts/report", $"report-{id}"), id);
        }

        var (_, _, gitlab) = Generate("gitlab", ".gitlab-ci.yml");
        foreach (var id in new[] { "commit-stage", "acceptance-stage", "deploy-dev", "deploy-production" })
        {
            var job = (YamlMappingNode)gitlab[id];
            ((YamlSequenceNode)job["after_script"]).Select(line => line.ToString()).ShouldBe(["./build.sh --target=Report"], id);
            Script(job).ShouldNotContain("./build.sh --target=Report");
            var artifacts = (YamlMappingNode)job["artifacts"];
            artifacts["when"].ToString().ShouldBe("always", id);
            ((YamlSequenceNode)artifacts["paths"]).Select(path => path.ToString()).ShouldContain("artifacts/report/", id);
        }
    }

    [Theory]
    [InlineData("azure", "azure-pipelines.yml")]
    [InlineData("gitlab", ".gitlab-ci.yml")]
    public void CheckCI_passes_on_a_fresh_file_and_fails_on_a_hand_edited_one(string ci, string file)
    {
        var path = _repository.Combine(file);
        Run(ci, path, "--target=GenerateCI").Exit.ShouldBe(0);
        var fresh = Run(ci, path, "--target=CheckCI");
        fresh.Exit.ShouldBe(0, fresh.Error);

        File.AppendAllText(path, "# a hand edit\n");
        var edited = Run(ci, path, "--target=CheckCI");

        edited.Exit.ShouldBe(1);
        edited.Error.ShouldContain($"{path} differs from what the recipe generates; run ./build.sh --target=GenerateCI --ci={ci} and commit it.");
    }

    [Fact]
    public void A_team_step_reaches_the_GitLab_script()
    {
        var path = _repository.Combine(".gitlab-ci.yml");
        var harness = new HostHarness();
        harness.Host.UseRecipe(r => r.CustomizeWorkflow = w => w.Jobs[GitLabPipeline.CommitStageJob].Steps.Insert(0, new CiStep { Run = "npm ci\nnpm run lint" }));

        harness.Run($"--environments-file={_repository.Combine("environments.yml")}", $"--ci-output={path}", "--ci=gitlab", "--target=GenerateCI").ShouldBe(0, harness.Error);

        Script((YamlMappingNode)GenerateCiTests.Parse(File.ReadAllText(path))["commit-stage"]).Where(line => !line.Contains("RECIPES_FEED", StringComparison.Ordinal))
            .ShouldBe(["npm ci", "npm run lint", "./build.sh --target=CommitStage"]);
    }

    private (int Exit, string Error, YamlMappingNode Root) Generate(string ci, string file)
    {
        var path = _repository.Combine(file);
        var (exit, error) = Run(ci, path, "--target=GenerateCI");
        return (exit, error, exit == 0 ? GenerateCiTests.Parse(File.ReadAllText(path)) : new YamlMappingNode());
    }

    private (int Exit, string Error) Run(string ci, string path, string target)
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        var exit = harness.Run($"--environments-file={_repository.Combine("environments.yml")}", $"--ci-output={path}", $"--ci={ci}", target);
        return (exit, harness.Error);
    }

    private static List<string> DependsOn(YamlMappingNode job) =>
        !job.Children.TryGetValue("dependsOn", out var node) ? [] : node is YamlSequenceNode list ? list.Select(n => n.ToString()).ToList() : [node.ToString()];

    private static List<string> Needs(YamlMappingNode job) =>
        job.Children.TryGetValue("needs", out var node) ? ((YamlSequenceNode)node).Select(n => n.ToString()).ToList() : [];

    private static List<string> Script(YamlMappingNode job) => ((YamlSequenceNode)job["script"]).Select(n => n.ToString()).ToList();
}
