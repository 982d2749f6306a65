using Recipes.Deployment;

namespace Recipes.Ci;

/// <summary>
/// The GitHub Actions workflow of a recipe: the commit stage builds and publishes the artifact once, the acceptance
/// stage tests that artifact from the feed by the manifest's version, and one job per environment deploys it in
/// promotion order, each behind GitHub's own environment protection (approvals).
/// </summary>
internal static class GitHubWorkflow
{
    /// <summary>Where the workflow is written, relative to the repository root, unless <c>--ci-output</c> says otherwise.</summary>
    public const string DefaultPath = ".github/workflows/pipeline.yml";

    public const string CommitStageJob = "commit-stage";
    public const string AcceptanceStageJob = "acceptance-stage";
    public const string ManifestArtifact = "manifest";
    public const string PackagesArtifact = "packages";
    private const string WhereVariablesLive = "in the repository's settings";

    /// <summary>The workflow a recipe generates, before the team's <c>CustomizeWorkflow</c> changes it.</summary>
    /// <param name="artifactsDirectory">The artifacts folder, relative to the repository root.</param>
    /// <param name="apiKeyVariable">The variable that holds the feed's API key; a repository secret of the same name fills it.</param>
    /// <param name="hasGlobalJson">Whether the repository pins its SDK in global.json.</param>
    /// <param name="environments">The deployment environments in promotion order; none when there is no environments file.</param>
    public static CiWorkflow Create(string artifactsDirectory, string apiKeyVariable, bool hasGlobalJson, IReadOnlyList<DeploymentEnvironment> environments)
    {
        var artifacts = CiCommands.ArtifactsPath(artifactsDirectory);
        var workflow = CiCommands.NewWorkflow();
        workflow.On.Manual = true;
        workflow.Permissions.Add("contents", "read");
        workflow.Env.Add("RECIPES_FEED", "${{ vars.RECIPES_FEED }}");
        workflow.Env.Add(apiKeyVariable, $"${{{{ secrets.{apiKeyVariable} }}}}");

        var commit = new CiJob { Name = "Commit stage" };
        commit.Steps.Add(CiCommands.CheckFeed(WhereVariablesLive, "::error::"));
        commit.Steps.Add(Checkout(fullHistory: true));
        commit.Steps.Add(SetUpDotNet(hasGlobalJson));
        commit.Steps.Add(NuGetCache());
        commit.Steps.Add(StageCacheSteps.GitHub());
        commit.Steps.Add(new CiStep { Name = "Commit stage", Id = "commit", Run = CiCommands.CommitStage });
        commit.Outputs.Add("version", "${{ steps.commit.outputs.version }}");
        commit.Steps.Add(Upload(ManifestArtifact, $"{artifacts}/manifest.json", required: true));
        commit.Steps.Add(Upload(PackagesArtifact, $"{artifacts}/packages", required: false));
        AddReport(commit, CommitStageJob, artifacts);
        workflow.Jobs.Add(CommitStageJob, commit);

        var acceptance = new CiJob { Name = "Acceptance stage" };
        acceptance.Needs.Add(CommitStageJob);
        acceptance.Steps.Add(Checkout(fullHistory: false));
        acceptance.Steps.Add(SetUpDotNet(hasGlobalJson));
        acceptance.Steps.Add(NuGetCache());
        acceptance.Steps.Add(DownloadManifest(artifacts));
        acceptance.Steps.Add(new CiStep { Name = "Acceptance stage (the published artifact, by the manifest's version)", Run = CiCommands.AcceptanceStage });
        AddReport(acceptance, AcceptanceStageJob, artifacts);
        workflow.Jobs.Add(AcceptanceStageJob, acceptance);

        var previous = AcceptanceStageJob;
        foreach (var environment in environments)
        {
            var id = DeployJob(environment.Name);
            var deploy = new CiJob
            {
                Name = $"Deploy to {environment.Name}",
                If = "github.event_name != 'pull_request'",
                Environment = environment.Name,
            };
            // The needs context holds only the direct needs, and the version comes from the commit stage.
            deploy.Needs.Add(CommitStageJob);
            deploy.Needs.Add(previous);
            deploy.Steps.Add(Checkout(fullHistory: false));
            deploy.Steps.Add(SetUpDotNet(hasGlobalJson));
            deploy.Steps.Add(DownloadManifest(artifacts));
            deploy.Steps.Add(new CiStep { Name = $"Deploy to {environment.Name}", Run = CiCommands.Deploy(environment.Name, $"${{{{ needs.{CommitStageJob}.outputs.version }}}}") });
            AddReport(deploy, id, artifacts);
            workflow.Jobs.Add(id, deploy);
            previous = id;
        }

        return workflow;
    }

    /// <summary>The id of the job that deploys to <paramref name="environment"/>.</summary>
    public static string DeployJob(string environment) => "deploy-" + environment;

    /// <summary>The comment at the top of the file: where it comes from, and what GitHub must be told.</summary>
    public static IEnumerable<string> Header(IReadOnlyList<DeploymentEnvironment> environments, string apiKeyVariable) =>
        CiCommands.Header("github", apiKeyVariable, WhereVariablesLive, environments, "add required reviewers to these GitHub environments");

    /// <summary>
    /// The end of every job, also when it failed: the report, uploaded as the run's artifact, and a link to it in the
    /// job's summary page (the upload step's artifact-url).
    /// </summary>
    private static void AddReport(CiJob job, string jobId, string artifacts)
    {
        job.Steps.Add(new CiStep { Name = "Report", If = "always()", Run = CiCommands.Report });
        var upload = Upload(CiCommands.ReportArtifact(jobId), CiCommands.ReportPath(artifacts), required: false);
        upload.Id = "report";
        upload.If = "always()";
        job.Steps.Add(upload);
        var link = new CiStep
        {
            Name = "Link the report from the summary",
            If = "always() && steps.report.outputs.artifact-url != ''",
            Run = $"echo \"[Pipeline report]($REPORT_URL) ({CiCommands.ReportArtifact(jobId)}: open index.html)\" >> \"$GITHUB_STEP_SUMMARY\"",
        };
        link.Env.Add("REPORT_URL", "${{ steps.report.outputs.artifact-url }}");
        job.Steps.Add(link);
    }

    private static CiStep Checkout(bool fullHistory)
    {
        var step = new CiStep { Name = "Check out", Uses = "actions/checkout@v4" };
        if (fullHistory)
        {
            // GitVersion computes the version from the history and tags.
            step.With.Add("fetch-depth", "0");
        }

        return step;
    }

    private static CiStep SetUpDotNet(bool hasGlobalJson)
    {
        var step = new CiStep { Name = "Set up .NET", Uses = "actions/setup-dotnet@v4" };
        if (hasGlobalJson)
        {
            step.With.Add("global-json-file", "global.json");
        }
        else
        {
            step.With.Add("dotnet-version", "10.0.x");
        }

        return step;
    }

    private static CiStep NuGetCache()
    {
        var step = new CiStep { Name = "Cache NuGet packages", Uses = "actions/cache@v4" };
        step.With.Add("path", "~/.nuget/packages");
        step.With.Add("key", "nuget-${{ runner.os }}-${{ hashFiles('**/*.csproj', 'Directory.Packages.props', 'global.json') }}");
        step.With.Add("restore-keys", "nuget-${{ runner.os }}-");
        return step;
    }

    private static CiStep Upload(string name, string path, bool required)
    {
        var step = new CiStep { Name = $"Upload the {name}", Uses = "actions/upload-artifact@v4" };
        step.With.Add("name", name);
        step.With.Add("path", path);
        if (required)
        {
            step.With.Add("if-no-files-found", "error");
        }

        return step;
    }

    private static CiStep DownloadManifest(string artifacts)
    {
        var step = new CiStep { Name = "Download the manifest", Uses = "actions/download-artifact@v4" };
        step.With.Add("name", ManifestArtifact);
        step.With.Add("path", artifacts);
        return step;
    }
}
