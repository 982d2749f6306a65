using Cake.Core.Diagnostics;
using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>Stops the releases and routers that deployments left running on this machine; the ledger keeps its history.</summary>
[TaskName("Stop")]
[TaskDescription("Stop the releases and routers running on this machine ([--environment=NAME], default all)")]
public sealed class Stop : AsyncFrostingTask<RecipeContext>
{
    private IReadOnlyList<DeploymentEnvironment> _environments = [];
    private LocalDeployment? _deployment;

    /// <summary>Checks the arguments before the task starts, so that a wrong one exits with code 2.</summary>
    /// <exception cref="Settings.RecipeConfigurationException">The environment or the environments file is wrong.</exception>
    public override bool ShouldRun(RecipeContext context)
    {
        _environments = DeployArguments.EnvironmentOrAll(context, "Stop");
        _deployment = DeployArguments.Deployment(context);
        return true;
    }

    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var deployment = _deployment ?? throw new InvalidOperationException("ShouldRun checks the arguments before Run.");
        foreach (var environment in _environments)
        {
            var stopped = await deployment.StopAsync(environment, CancellationToken.None);
            context.Log.Information("{0}: {1}", environment.Name, stopped.Count == 0 ? "nothing was running" : "stopped " + string.Join(", ", stopped));
        }
    }
}
