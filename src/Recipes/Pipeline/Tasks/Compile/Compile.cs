using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>Restores and builds the solution, with the version stamped into every assembly.</summary>
[TaskName(nameof(Compile))]
[TaskDescription("Restore and build the solution with the version stamped in")]
[IsDependentOn(typeof(ComputeVersion))]
public sealed class Compile : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var solution = context.Solution;
        context.DiscoverProjectsInBackground();
        context.DotNetBuild(solution, new DotNetBuildSettings
        {
            Configuration = context.Settings.Configuration,
            MSBuildSettings = VersionProperties.For(context.Version),
        });
    }
}
