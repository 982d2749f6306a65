using Cake.Core.Diagnostics;
using Recipes.Deployment.Database;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Lists an environment's migration scripts per phase: those its database's journal has applied, and the pending
/// ones of the newest release that runs there (read from its digest-checked package).
/// </summary>
[TaskName("Migrations")]
[TaskDescription("List an environment's applied and pending migrations per phase (--environment=NAME)")]
public sealed class Migrations : AsyncFrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var environment = ReleaseArguments.Environment(context, "Migrations");
        var overview = await DeployArguments.Deployment(context).MigrationsAsync(environment, context.OpenFeed(), Environment.UserName, CancellationToken.None);
        context.Log.Information("{0} ({1} database, scripts of {2}):", environment.Name, overview.Provider, overview.Source);
        foreach (var phase in Enum.GetValues<MigrationPhase>())
        {
            var prefix = phase.ToString().ToLowerInvariant() + "/";
            var applied = overview.Applied.Where(name => name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            var pending = overview.Pending.Where(script => script.Phase == phase).Select(script => script.Name).ToList();
            context.Log.Information("  {0}: applied {1}; pending {2}", phase.ToString().ToLowerInvariant(), List(applied), List(pending));
        }
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
