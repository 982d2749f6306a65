using Recipes.Ci.BuildServers;
using Recipes.Deployment;

namespace Recipes.Ci;

/// <summary>
/// The GitLab CI file of a recipe, in the same shape as the GitHub workflow: a commit-stage job, an acceptance-stage
/// job on the published artifact, then one deploy job per environment in promotion order, each in its GitLab
/// environment (protect it and require approvals there). Jobs run in the order their <c>needs</c> give.
/// </summary>
/// <remarks>
/// GitLab has no steps: in the <see cref="CiWorkflow"/> of this server a step with <see cref="CiStep.Run"/> adds lines
/// to the job's <c>script</c>, and a step whose <see cref="CiStep.Uses"/> names a job keyword (<c>cache</c>,
/// <c>artifacts</c>) writes that keyword from its <see cref="CiStep.With"/> entries: a dotted key nests
/// (<c>reports.junit</c>), a value with a line break is a list (end a one-item list with one). <see cref="CiJob.RunsOn"/> is the image.
/// A run step whose <see cref="CiStep.If"/> is <see cref="Always"/> goes to <c>after_script</c>, which runs also when the script failed.
/// </remarks>
internal static class GitLabPipeline
{
    public const string DefaultPath = ".gitlab-ci.yml";
    public const string CommitStageJob = "commit-stage";
    public const string AcceptanceStageJob = "acceptance-stage";
    /// <summary>The <see cref="CiStep.If"/> of a run step that belongs in <c>after_script</c>.</summary>
    public const string Always = "always";

    private const string Image = "mcr.microsoft.com/dotnet/sdk:10.0";
    private const string WhereVariablesLive = "in the project's CI/CD variables";

    public static CiWorkflow Create(string artifactsDirectory, IReadOnlyList<DeploymentEnvironment> environments)
    {
        var artifacts = CiCommands.ArtifactsPath(artifactsDirectory);
        var workflow = CiCommands.NewWorkflow();
        workflow.Env.Add("NUGET_PACKAGES", "$CI_PROJECT_DIR/.nuget/packages");

        var commit = new CiJob { RunsOn = Image };

        // GitVersion computes the version from the history and tags; GitLab fetches 20 commits by default.
        commit.Env.Add("GIT_DEPTH", "0");
        commit.Steps.Add(CiCommands.CheckFeed(WhereVariablesLive, string.Empty));
        commit.Env.Add(StageCacheSteps.GitLabFolder.Name, StageCacheSteps.GitLabFolder.Value);
        commit.Steps.Add(NuGetCache());
        commit.Steps.Add(StageCacheSteps.GitLab());
        commit.Steps.Add(new CiStep { Name = "Commit stage", Run = CiCommands.CommitStage });
        commit.Steps.Add(Report());
        commit.Steps.Add(Artifacts(artifacts, $"{artifacts}/manifest.json\n{artifacts}/packages\n{CiCommands.ReportPath(artifacts)}/", dotenv: true));
        workflow.Jobs.Add(CommitStageJob, commit);

        var acceptance = new CiJob { RunsOn = Image };
        acceptance.Needs.Add(CommitStageJob);
        acceptance.Steps.Add(NuGetCache());
        acceptance.Steps.Add(new CiStep { Name = "Acceptance stage", Run = CiCommands.AcceptanceStage });
        acceptance.Steps.Add(Report());
        acceptance.Steps.Add(Artifacts(artifacts, $"{CiCommands.ReportPath(artifacts)}/\n", dotenv: false));
        workflow.Jobs.Add(AcceptanceStageJob, acceptance);

        var previous = AcceptanceStageJob;
        foreach (var environment in environments)
        {
            var id = GitHubWorkflow.DeployJob(environment.Name);
            var deploy = new CiJob { RunsOn = Image, If = "$CI_PIPELINE_SOURCE != \"merge_request_event\"", Environment = environment.Name };

            // The commit stage's artifacts (the manifest) and dotenv report (the version) reach only the jobs that need it.
            deploy.Needs.Add(CommitStageJob);
            deploy.Needs.Add(previous);
            deploy.Steps.Add(new CiStep { Name = $"Deploy to {environment.Name}", Run = CiCommands.Deploy(environment.Name, "$" + GitLabCiReporter.VersionVariable) });
            deploy.Steps.Add(Report());
            var kept = new CiStep { Name = "Keep the report", Uses = "artifacts" };
            kept.With.Add("when", "always");
            kept.With.Add("paths", $"{CiCommands.ReportPath(artifacts)}/\n");
            deploy.Steps.Add(kept);
            workflow.Jobs.Add(id, deploy);
            previous = id;
        }

        return workflow;
    }

    public static IEnumerable<string> Header(IReadOnlyList<DeploymentEnvironment> environments, string apiKeyVariable) =>
        CiCommands.Header("gitlab", apiKeyVariable, "(masked) " + WhereVariablesLive, environments, "protect these environments and require approvals in GitLab");

    /// <summary>The report, in after_script: it runs also when the job's script failed.</summary>
    private static CiStep Report() => new() { Name = "Report", If = Always, Run = CiCommands.Report };

    private static CiStep NuGetCache()
    {
        var step = new CiStep { Name = "Cache NuGet packages", Uses = "cache" };
        step.With.Add("key.files", "Directory.Packages.props\nglobal.json");
        step.With.Add("paths", ".nuget/packages\n");
        return step;
    }

    private static CiStep Artifacts(string artifacts, string? paths, bool dotenv)
    {
        var step = new CiStep { Name = "Keep the artifacts and test results", Uses = "artifacts" };
        step.With.Add("when", "always");
        if (paths is not null)
        {
            step.With.Add("paths", paths);
        }

        step.With.Add("reports.junit", $"{artifacts}/test-results/**/*.junit.xml");
        if (dotenv)
        {
            step.With.Add("reports.dotenv", GitLabCiReporter.DotenvFile);
        }

        return step;
    }
}
