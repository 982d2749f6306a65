using Cake.Core.Diagnostics;
using Recipes.Discovery;
using Recipes.Hosting;
using Recipes.Versioning;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Computes this commit's version with GitVersion, once per run; every later stage uses it. The <c>version</c>
/// setting replaces GitVersion, and <c>gitversion-config</c> chooses its configuration. A version below a project's own
/// Version/VersionPrefix is refused unless <c>allow-lower-version</c> is set. On a CI server the version
/// becomes the build number and an output that later jobs deploy by.
/// </summary>
[TaskName("Version")]
[TaskDescription("Compute this commit's version from git history (GitVersion), unless --version sets it")]
public sealed class Version : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        void Log(string message) => context.Log.Verbose("{0}", message);
        // The version floor below needs the projects: their evaluation runs while GitVersion's process does.
        context.DiscoverProjectsInBackground();
        var settings = context.Settings;
        context.Version = settings.VersionOverride is { Length: > 0 } chosen
            ? FixedVersion.Create(chosen, context.RepositoryRoot, Log)
            : new GitVersionCalculator(Log) { ShallowCloneFix = context.BuildServer.ShallowCloneFix }.Calculate(
                context.RepositoryRoot,
                settings.GitVersionConfig is { Length: > 0 } config ? Path.GetFullPath(config, context.RepositoryRoot) : null);
        var version = context.Version;
        VersionFloor.CheckDeclared(
            version.SemVer,
            DeclaredVersions(context),
            settings.AllowLowerVersion,
            warning => context.Log.Warning("{0}", warning));
        var commit = version.Sha.Length > 0 ? version.Sha[..Math.Min(8, version.Sha.Length)] : "an unknown commit";
        var described = $"{version.SemVer} ({version.Branch} at {commit})";
        context.Log.Information("Version {0}", described);
        context.Summary.Set("Version", described);
        context.BuildServer.SetVersion(version.SemVer);
    }

    /// <summary>The Version/VersionPrefix each non-test project's own files set; none when there is no solution to read.</summary>
    private static IEnumerable<(string Project, string Version)> DeclaredVersions(RecipeContext context)
    {
        IReadOnlyList<DiscoveredProject> projects;
        try
        {
            projects = context.Projects;
        }
        catch (SolutionNotFoundException)
        {
            return [];
        }

        return projects
            .Where(project => project.Kind != ProjectKind.Test && project.DeclaredVersion is not null)
            .Select(project => (Path.GetRelativePath(context.RepositoryRoot, project.Path), project.DeclaredVersion!));
    }
}
