using Cake.Core.Diagnostics;
using Recipes.Hosting;
using Recipes.Versioning;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Computes this commit's version with GitVersion, once per run; every later stage uses it. The <c>version</c>
/// setting replaces GitVersion, and <c>gitversion-config</c> chooses its configuration. On a CI server the version
/// becomes the build number and an output that later jobs deploy by.
/// </summary>
[TaskName("Version")]
[TaskDescription("Compute this commit's version from git history (GitVersion), unless --version sets it")]
public sealed class ComputeVersion : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        void Log(string message) => context.Log.Verbose("{0}", message);
        var settings = context.Settings;
        context.Version = settings.VersionOverride is { Length: > 0 } chosen
            ? FixedVersion.Create(chosen, context.RepositoryRoot, Log)
            : new GitVersionCalculator(Log) { ShallowCloneFix = context.BuildServer.ShallowCloneFix }.Calculate(
                context.RepositoryRoot,
                settings.GitVersionConfig is { Length: > 0 } config ? Path.GetFullPath(config, context.RepositoryRoot) : null);
        var version = context.Version;
        var commit = version.Sha.Length > 0 ? version.Sha[..Math.Min(8, version.Sha.Length)] : "an unknown commit";
        var described = $"{version.SemVer} ({version.Branch} at {commit})";
        context.Log.Information("Version {0}", described);
        context.Summary.Set("Version", described);
        context.BuildServer.SetVersion(version.SemVer);
    }
}
