using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;
using Cake.Core;
using Cake.Core.Diagnostics;
using Recipes.Building;
using Recipes.Hosting;
using Recipes.Pipeline.Caching;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Restores and builds the solution, with the version stamped into every assembly, from clean outputs: what an
/// earlier build left in the projects' bin/ and obj/ folders for the configuration is removed first.
/// </summary>
[TaskName(nameof(Compile))]
[TaskDescription("Restore and build the solution from clean outputs with the version stamped in")]
[IsDependentOn(typeof(Version))]
public sealed class Compile : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var solution = context.Solution;
        RemovePreviousOutputs(context);
        var inputs = CachedStages.InputsOf(context, nameof(Compile));
        if (CachedStages.Find(context, nameof(Compile), inputs) is { } cached)
        {
            cached.RestoreInto(context.RepositoryRoot);
            return;
        }

        using var server = CompilerServer.ForStage(context.Settings.UsesCompilerServer, line => context.Log.Verbose("{0}", line));
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
        foreach (var (name, value) in server.Properties)
        {
            settings.MSBuildSettings.Properties[name] = [value];
        }

        try
        {
            context.DotNetBuild(solution, context.Settings.ToolHooks.Apply(nameof(Compile), solution, settings));
        }
        catch (CakeException exception)
        {
            throw new RecipeException(errors.Describe($"dotnet build {Path.GetFileName(solution)} failed ({exception.Message})"));
        }

        CachedStages.Keep(context, nameof(Compile), inputs, PreviousBuildOutputs.Of(context.Projects, context.Settings.Configuration, context.RepositoryRoot));
    }

    /// <summary>
    /// A re-run in a used working tree must pack the bytes a clean clone packs, or Publish finds this commit's version
    /// in the feed with other content. Free on a fresh clone (CI): the Version stage has evaluated the projects, and
    /// there are no folders to delete.
    /// </summary>
    private static void RemovePreviousOutputs(RecipeContext context)
    {
        var removed = PreviousBuildOutputs.Remove(context.Projects, context.Settings.Configuration, context.RepositoryRoot);
        if (removed.Count > 0)
        {
            context.Log.Information("Removed {0} folder(s) of an earlier {1} build, so the build starts clean", removed.Count, context.Settings.Configuration);
            foreach (var folder in removed)
            {
                context.Log.Verbose("Removed {0}", Path.GetRelativePath(context.RepositoryRoot, folder));
            }
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
