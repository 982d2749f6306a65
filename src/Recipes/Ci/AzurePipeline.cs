using Recipes.Deployment;

namespace Recipes.Ci;

/// <summary>
/// The Azure Pipelines file of a recipe, in the same shape as the GitHub workflow: a commit-stage job, an
/// acceptance-stage job on the published artifact, then one deployment job per environment in promotion order,
/// each in its Azure DevOps environment (whose approvals and checks apply).
/// </summary>
/// <remarks>
/// In the <see cref="CiWorkflow"/> of this server a step's <see cref="CiStep.Uses"/> names a task (<c>UseDotNet@2</c>)
/// whose inputs are <see cref="CiStep.With"/>, or is <c>checkout</c> (<c>- checkout: self</c>, With entries beside it);
/// <see cref="CiStep.Id"/> is the step's <c>name</c>; a job's <see cref="CiJob.Env"/> are its variables.
/// </remarks>
internal static class AzurePipeline
{
    public const string DefaultPath = "azure-pipelines.yml";
    public const string CommitStageJob = "commit_stage";
    public const string AcceptanceStageJob = "acceptance_stage";
    public const string Checkout = "checkout";
    private const string VersionVariable = "recipesVersion";
    private const string WhereVariablesLive = "in the pipeline's variables";

    public static CiWorkflow Create(string artifactsDirectory, string apiKeyVariable, bool hasGlobalJson, IReadOnlyList<DeploymentEnvironment> environments)
    {
        var artifacts = CiCommands.ArtifactsPath(artifactsDirectory);
        var workflow = CiCommands.NewWorkflow();
        workflow.Env.Add("NUGET_PACKAGES", "$(Pipeline.Workspace)/.nuget/packages");
        workflow.Env.Add(StageCacheSteps.AzureFolder.Name, StageCacheSteps.AzureFolder.Value);

        var commit = new CiJob { Name = "Commit stage" };
        commit.Steps.Add(CiCommands.CheckFeed(WhereVariablesLive, "##vso[task.logissue type=error]"));
        commit.Steps.Add(CheckOut(fullHistory: true));
        commit.Steps.Add(SetUpDotNet(hasGlobalJson));
        commit.Steps.Add(NuGetCache());
        commit.Steps.Add(StageCacheSteps.Azure());
        commit.Steps.Add(Build("Commit stage", CiCommands.CommitStage, apiKeyVariable, id: "commit"));
        var publish = new CiStep { Name = "Publish the manifest", Uses = "PublishPipelineArtifact@1" };
        publish.With.Add("targetPath", $"{artifacts}/manifest.json");
        publish.With.Add("artifact", GitHubWorkflow.ManifestArtifact);
        commit.Steps.Add(publish);
        AddReport(commit, CommitStageJob, artifacts);
        workflow.Jobs.Add(CommitStageJob, commit);

        var acceptance = new CiJob { Name = "Acceptance stage" };
        acceptance.Needs.Add(CommitStageJob);
        acceptance.Steps.Add(CheckOut(fullHistory: false));
        acceptance.Steps.Add(SetUpDotNet(hasGlobalJson));
        acceptance.Steps.Add(NuGetCache());
        acceptance.Steps.Add(DownloadManifest(artifacts));
        acceptance.Steps.Add(Build("Acceptance stage (the published artifact, by the manifest's version)", CiCommands.AcceptanceStage, apiKeyVariable));
        AddReport(acceptance, AcceptanceStageJob, artifacts);
        workflow.Jobs.Add(AcceptanceStageJob, acceptance);

        var previous = AcceptanceStageJob;
        foreach (var environment in environments)
        {
            var id = DeployJob(environment.Name);
            var deploy = new CiJob
            {
                Name = $"Deploy to {environment.Name}",
                If = "and(succeeded(), ne(variables['Build.Reason'], 'PullRequest'))",
                Environment = environment.Name,
            };

            // Only a job's direct dependencies are readable, and the version comes from the commit stage.
            deploy.Needs.Add(CommitStageJob);
            deploy.Needs.Add(previous);
            deploy.Env.Add(VersionVariable, $"$[ dependencies.{CommitStageJob}.outputs['commit.version'] ]");
            deploy.Steps.Add(CheckOut(fullHistory: false));
            deploy.Steps.Add(SetUpDotNet(hasGlobalJson));
            deploy.Steps.Add(DownloadManifest(artifacts));
            deploy.Steps.Add(Build($"Deploy to {environment.Name}", CiCommands.Deploy(environment.Name, $"$({VersionVariable})"), apiKeyVariable));
            AddReport(deploy, id, artifacts);
            workflow.Jobs.Add(id, deploy);
            previous = id;
        }

        return workflow;
    }

    /// <summary>The id of the job that deploys to <paramref name="environment"/>; Azure allows letters, digits and underscores.</summary>
    public static string DeployJob(string environment) =>
        "deploy_" + new string(environment.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    public static IEnumerable<string> Header(IReadOnlyList<DeploymentEnvironment> environments, string apiKeyVariable) =>
        CiCommands.Header("azure", apiKeyVariable, "(a secret variable) " + WhereVariablesLive, environments, "add an Approvals check to these Azure DevOps environments");

    /// <summary>The end of every job, also when it failed: the report, published as the run's artifact.</summary>
    private static void AddReport(CiJob job, string jobId, string artifacts)
    {
        // The report reads the ledger and the artifacts folder only: no feed key is mapped into it.
        job.Steps.Add(new CiStep { Name = "Report", If = "always()", Run = CiCommands.Report });
        var publish = new CiStep { Name = "Publish the report", Uses = "PublishPipelineArtifact@1", If = "always()" };
        publish.With.Add("targetPath", CiCommands.ReportPath(artifacts));
        publish.With.Add("artifact", CiCommands.ReportArtifact(jobId));
        job.Steps.Add(publish);
    }

    private static CiStep CheckOut(bool fullHistory)
    {
        var step = new CiStep { Uses = Checkout };

        // GitVersion computes the version from the history and tags; new pipelines fetch shallow by default.
        step.With.Add("fetchDepth", fullHistory ? "0" : "1");
        return step;
    }

    private static CiStep SetUpDotNet(bool hasGlobalJson)
    {
        var step = new CiStep { Name = "Set up .NET", Uses = "UseDotNet@2" };
        if (hasGlobalJson)
        {
            step.With.Add("useGlobalJson", "true");
        }
        else
        {
            step.With.Add("version", "10.0.x");
        }

        return step;
    }

    private static CiStep NuGetCache()
    {
        var step = new CiStep { Name = "Cache NuGet packages", Uses = "Cache@2" };
        step.With.Add("key", "nuget | \"$(Agent.OS)\" | **/*.csproj,Directory.Packages.props,global.json,!**/bin/**,!**/obj/**");
        step.With.Add("restoreKeys", "nuget | \"$(Agent.OS)\"");
        step.With.Add("path", "$(NUGET_PACKAGES)");
        return step;
    }

    private static CiStep DownloadManifest(string artifacts)
    {
        var step = new CiStep { Name = "Download the manifest", Uses = "DownloadPipelineArtifact@2" };
        step.With.Add("artifact", GitHubWorkflow.ManifestArtifact);
        step.With.Add("path", $"$(Build.SourcesDirectory)/{artifacts}");
        return step;
    }

    // Secret variables reach a script only when mapped into its environment.
    private static CiStep Build(string name, string command, string apiKeyVariable, string? id = null)
    {
        var step = new CiStep { Name = name, Id = id, Run = command };
        step.Env.Add(apiKeyVariable, $"$({apiKeyVariable})");
        return step;
    }
}
