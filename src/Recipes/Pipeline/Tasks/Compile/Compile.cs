using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;
using Cake.Core;
using Cake.Core.Diagnostics;
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
        var errors = new BuildOutputErrors();
        var settings = new DotNetBuildSettings
        {
            Configuration = context.Settings.Configuration,
            MSBuildSettings = VersionProperties.For(context.Version, context.Settings),
            // The output still reaches the log line by line; the first error is kept to name it when the build fails.
            SetupProcessSettings = process =>
            {
                process.RedirectStandardOutput = true;
                process.RedirectedStandardOutputHandler = line => Echo(context, errors.Observe(line));
            },
        };
        try
        {
            context.DotNetBuild(solution, settings);
        }
        catch (CakeException exception)
        {
            throw new RecipeException(errors.Describe($"dotnet build {Path.GetFileName(solution)} failed ({exception.Message})"));
        }
    }

    private static string? Echo(RecipeContext context, string? line)
    {
        if (line is not null)
        {
            context.Log.Information("{0}", line);
        }

        return line;
    }
}
