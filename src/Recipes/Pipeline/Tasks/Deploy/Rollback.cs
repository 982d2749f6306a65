using Recipes.Deployment;
using Recipes.Deployment.Local;
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
    private DeploymentEnvironment? _environment;
    private LocalDeployment? _deployment;

    /// <summary>Checks the arguments before the task starts, so that a wrong one exits with code 2.</summary>
    /// <exception cref="Settings.RecipeConfigurationException">An argument is missing or wrong, or a secret's variable is not set.</exception>
    public override bool ShouldRun(RecipeContext context)
    {
        _environment = ReleaseArguments.Environment(context, "Rollback");
        DeployArguments.RequireSecrets(_environment);
        _deployment = DeployArguments.Deployment(context);
        return true;
    }

    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var (environment, deployment) = _environment is not null && _deployment is not null
            ? (_environment, _deployment)
            : throw new InvalidOperationException("ShouldRun checks the arguments before Run.");
        var result = await deployment.RollbackAsync(environment, context.OpenFeed(), Environment.UserName, CancellationToken.None);
        DeploymentSummary.Add(context, environment, result);
    }
}
