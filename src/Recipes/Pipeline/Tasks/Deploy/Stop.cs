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
    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var deployment = DeployArguments.Deployment(context);
        foreach (var environment in DeployArguments.EnvironmentOrAll(context, "Stop"))
        {
            var stopped = await deployment.StopAsync(environment, CancellationToken.None);
            context.Log.Information("{0}: {1}", environment.Name, stopped.Count == 0 ? "nothing was running" : "stopped " + string.Join(", ", stopped));
        }
    }
}
