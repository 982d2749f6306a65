using Cake.Core.Diagnostics;
using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Hosting;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Deploys to one environment exactly what is live in another: the same package version, checked against the same
/// SHA-512 that the source environment's ledger row recorded.
/// </summary>
[TaskName("Promote")]
[TaskDescription("Deploy what is live in one environment to another (--from=staging --to=production [--approve=true])")]
public sealed class PromoteEnvironment : AsyncFrostingTask<RecipeContext>
{
    private DeploymentRequest? _request;
    private LocalDeployment? _deployment;

    /// <summary>Checks the arguments and what is live in the source environment before the task starts.</summary>
    /// <exception cref="RecipeConfigurationException">An argument is wrong, nothing is live in the source, or the two environments run different artifacts.</exception>
    public override bool ShouldRun(RecipeContext context)
    {
        var from = DeployArguments.Named(context, "from", "Promote");
        var to = DeployArguments.Named(context, "to", "Promote");
        if (from.Name == to.Name)
        {
            throw new RecipeConfigurationException($"Promote needs two different environments; --from and --to are both '{from.Name}'.");
        }

        if (!string.Equals(from.Artifact, to.Artifact, StringComparison.OrdinalIgnoreCase))
        {
            throw new RecipeConfigurationException($"'{from.Name}' runs {from.Artifact} and '{to.Name}' runs {to.Artifact}; Promote moves one artifact, so both must name the same 'artifact' in {context.Settings.EnvironmentsFile}.");
        }

        var live = context.OpenLedger().Live(from.Name)
            ?? throw new RecipeConfigurationException($"Nothing is live in '{from.Name}' to promote; deploy it first with ./build.sh --target=Deploy --environment={from.Name}.");
        _request = new DeploymentRequest(to, context.OpenFeed(), live.Version, live.Digest, live.Commit, DeploymentKind.Promote, DeployArguments.Who(context, to));
        _deployment = DeployArguments.Deployment(context);
        return true;
    }

    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var (request, deployment) = _request is not null && _deployment is not null
            ? (_request, _deployment)
            : throw new InvalidOperationException("ShouldRun checks the arguments before Run.");
        context.Log.Information("Promoting {0} {1} (SHA-512 {2}…) to {3}", request.Environment.Artifact, request.Version, request.Digest[..Math.Min(12, request.Digest.Length)], request.Environment.Name);
        var result = await deployment.DeployAsync(request, CancellationToken.None);
        DeploymentSummary.Add(context, request.Environment, result);
    }
}
