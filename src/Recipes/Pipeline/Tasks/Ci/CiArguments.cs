using Recipes.Ci;
using Recipes.Deployment;
using Recipes.Pipeline.Arguments;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// The arguments of GenerateCI and CheckCI, and the CI file text both of them work out from the recipe:
/// <c>--ci=github|azure|gitlab</c> (github by default) and <c>--ci-output=PATH</c>.
/// </summary>
internal static class CiArguments
{
    /// <summary>The CI servers a file can be generated for, with where each file goes by default.</summary>
    private static readonly Dictionary<string, string> DefaultPaths = new(StringComparer.OrdinalIgnoreCase)
    {
        ["github"] = GitHubWorkflow.DefaultPath,
        ["azure"] = AzurePipeline.DefaultPath,
        ["gitlab"] = GitLabPipeline.DefaultPath,
    };

    /// <summary>The CI servers a file can be generated for.</summary>
    public static IEnumerable<string> Servers => DefaultPaths.Keys;

    /// <summary>The <c>--ci</c> server, lower case (checked before any task runs).</summary>
    public static string Server(RecipeContext context) => TargetArgumentTable.Ci.Value(context.Arguments)!;

    /// <summary>The CI file: <c>--ci-output</c>, relative to the repository root, or the server's own place.</summary>
    public static string OutputPath(RecipeContext context) =>
        Path.GetFullPath(TargetArgumentTable.CiOutput.Text(context.Arguments) ?? DefaultPaths[Server(context)], context.RepositoryRoot);

    /// <summary>What to run when the committed file is missing or out of date.</summary>
    public static string Fix(RecipeContext context) => $"run ./build.sh --target=GenerateCI --ci={Server(context)} and commit it";

    /// <summary>The CI file the recipe generates for the <c>--ci</c> server, customized by the team's code, as text.</summary>
    /// <exception cref="RecipeConfigurationException">The server is not supported, or the environments file is wrong.</exception>
    public static string Generate(RecipeContext context) =>
        Generate(Server(context), context.Settings, context.RepositoryRoot, EnvironmentsOf(context));

    /// <summary>The CI file for <paramref name="server"/>, its triggers read from the repository at <paramref name="repositoryRoot"/>.</summary>
    /// <exception cref="RecipeConfigurationException">The repository's GitVersion configuration is not valid YAML.</exception>
    internal static string Generate(string server, RecipeSettings settings, string repositoryRoot, IReadOnlyList<DeploymentEnvironment> environments)
    {
        var hasGlobalJson = File.Exists(Path.Combine(repositoryRoot, "global.json"));
        var apiKey = settings.FeedApiKeyVariable;
        var workflow = server switch
        {
            "azure" => AzurePipeline.Create(settings.ArtifactsDirectory, apiKey, hasGlobalJson, environments),
            "gitlab" => GitLabPipeline.Create(settings.ArtifactsDirectory, environments),
            _ => GitHubWorkflow.Create(settings.ArtifactsDirectory, apiKey, hasGlobalJson, environments),
        };
        RepositoryTriggers.Apply(workflow, repositoryRoot, settings.GitVersionConfig);
        settings.CustomizeWorkflow?.Invoke(workflow);
        return server switch
        {
            "azure" => AzurePipelinesWriter.Write(workflow, AzurePipeline.Header(environments, apiKey)),
            "gitlab" => GitLabCiWriter.Write(workflow, GitLabPipeline.Header(environments, apiKey)),
            _ => GitHubWorkflowWriter.Write(workflow, GitHubWorkflow.Header(environments, apiKey)),
        };
    }

    /// <summary>The environments in promotion order, or none when the repository has no environments file.</summary>
    private static IReadOnlyList<DeploymentEnvironment> EnvironmentsOf(RecipeContext context) =>
        File.Exists(Path.GetFullPath(context.Settings.EnvironmentsFile, context.RepositoryRoot))
            ? context.LoadEnvironments().Environments
            : [];
}
