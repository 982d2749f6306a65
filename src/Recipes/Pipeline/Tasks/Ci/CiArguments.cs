using Recipes.Ci;
using Recipes.Deployment;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// The arguments of GenerateCI and CheckCI, and the workflow text both of them work out from the recipe:
/// <c>--ci=github</c> (the only CI server so far, and the default) and <c>--ci-output=PATH</c>.
/// </summary>
internal static class CiArguments
{
    /// <summary>The CI servers a workflow can be generated for.</summary>
    public const string Supported = "github";

    /// <summary>Checks <c>--ci</c>; an unsupported server is a configuration error (one line, exit code 2).</summary>
    public static void CheckServer(RecipeContext context)
    {
        var ci = Text(context, "ci") ?? Supported;
        if (!string.Equals(ci, Supported, StringComparison.OrdinalIgnoreCase))
        {
            throw new RecipeConfigurationException($"--ci={ci} is not supported yet; supported: {Supported}.");
        }
    }

    /// <summary>The workflow file: <c>--ci-output</c>, relative to the repository root, or <c>.github/workflows/pipeline.yml</c>.</summary>
    public static string OutputPath(RecipeContext context) =>
        Path.GetFullPath(Text(context, "ci-output") ?? GitHubWorkflow.DefaultPath, context.RepositoryRoot);

    /// <summary>The workflow the recipe generates, customized by the team's code, as the file's text.</summary>
    /// <exception cref="RecipeConfigurationException">The environments file is wrong.</exception>
    public static string Generate(RecipeContext context)
    {
        var environments = EnvironmentsOf(context);
        var settings = context.Settings;
        var workflow = GitHubWorkflow.Create(
            settings.ArtifactsDirectory,
            settings.FeedApiKeyVariable,
            File.Exists(Path.Combine(context.RepositoryRoot, "global.json")),
            environments);
        settings.CustomizeWorkflow?.Invoke(workflow);
        return GitHubWorkflowWriter.Write(workflow, GitHubWorkflow.Header(environments, settings.FeedApiKeyVariable));
    }

    /// <summary>The environments in promotion order, or none when the repository has no environments file.</summary>
    private static IReadOnlyList<DeploymentEnvironment> EnvironmentsOf(RecipeContext context) =>
        File.Exists(Path.GetFullPath(context.Settings.EnvironmentsFile, context.RepositoryRoot))
            ? context.LoadEnvironments().Environments
            : [];

    private static string? Text(RecipeContext context, string name) =>
        context.Arguments.HasArgument(name) && context.Arguments.GetArguments(name).LastOrDefault() is { Length: > 0 } value ? value.Trim() : null;
}
