using Cake.Common.Build;
using Cake.Common.Build.AzurePipelines;
using Cake.Common.Build.GitHubActions;
using Cake.Common.Build.GitLabCI;
using Cake.Common.Build.TeamCity;
using Cake.Core;

namespace Recipes.Ci.BuildServers;

/// <summary>Picks the reporter for the CI server that Cake.Common's <c>BuildSystem</c> detects.</summary>
internal static class BuildServerReporters
{
    /// <summary>The reporter for this run; <see cref="QuietReporter.Local"/> off CI and on servers the recipe does not know.</summary>
    /// <param name="context">Cake's context: its environment variables tell the server.</param>
    /// <param name="console">Where service messages go: the host's console.</param>
    public static IBuildServerReporter Detect(ICakeContext context, IConsole console)
    {
        var writer = new ConsoleServiceMessageWriter(console);
        var environment = context.Environment;

        // Cake.Common's providers, given the host's console instead of their own Console.Out writer.
        return context.BuildSystem().Provider switch
        {
            BuildProvider.GitHubActions => new GitHubActionsReporter(new GitHubActionsProvider(environment, context.FileSystem, writer)),
            BuildProvider.AzurePipelines => new AzurePipelinesReporter(new AzurePipelinesProvider(environment, writer), environment.GetEnvironmentVariable),
            BuildProvider.TeamCity => new TeamCityReporter(new TeamCityProvider(environment, context.FileSystem, writer)),
            BuildProvider.GitLabCI => new GitLabCiReporter(new GitLabCIProvider(environment, context.FileSystem), console, environment.WorkingDirectory),
            BuildProvider.Jenkins => new QuietReporter("Jenkins", "turn off the shallow clone in the job's Git behaviours (Advanced clone behaviours) and fetch the tags"),
            _ => QuietReporter.Local,
        };
    }
}
