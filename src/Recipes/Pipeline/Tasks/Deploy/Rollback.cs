using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Puts the previous good release of an environment back: instantly when its slot is still warm (a blue-green grace
/// period), else by starting its kept release folder again. The undone release is marked rolled back in the ledger.
/// </summary>
[TaskName("Rollback")]
[TaskDescription("Go back to an environment's previous good release (--environment=NAME)")]
public sealed class Rollback : AsyncFrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var environment = ReleaseArguments.Environment(context, "Rollback");
        DeployArguments.RequireSecrets(environment);
        await DeployArguments.Deployment(context).RollbackAsync(environment, context.OpenFeed(), Environment.UserName, CancellationToken.None);
    }
}
