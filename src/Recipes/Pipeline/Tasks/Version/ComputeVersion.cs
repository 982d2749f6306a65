using Cake.Core.Diagnostics;
using Recipes.Hosting;
using Recipes.Versioning;

namespace Recipes.Pipeline.Tasks;

/// <summary>Computes this commit's version with GitVersion, once per run; every later stage uses it.</summary>
[TaskName("Version")]
[TaskDescription("Compute this commit's version from git history (GitVersion)")]
public sealed class ComputeVersion : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        context.Version = new GitVersionCalculator(message => context.Log.Verbose("{0}", message)).Calculate(context.RepositoryRoot);
        var version = context.Version;
        var described = $"{version.SemVer} ({version.Branch} at {version.Sha[..Math.Min(8, version.Sha.Length)]})";
        context.Log.Information("Version {0}", described);
        context.Summary.Set("Version", described);
    }
}
