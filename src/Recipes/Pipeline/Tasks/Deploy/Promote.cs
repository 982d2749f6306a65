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
[TaskDescription("Deploy what is live in one environment to another (--from=staging --to=production [--approve=true] [--force])")]
public sealed class Promote : AsyncFrostingTask<RecipeContext>
{
    private PreparedDeployment? _prepared;

    /// <summary>Checks the arguments and what is live in the source environment before the task starts.</summary>
    /// <exception cref="RecipeConfigurationException">An argument is wrong, nothing is live in the source, the two environments run different artifacts, a secret's variable is not set, or the version was rolled back in the target and --force is not given.</exception>
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

        DeployArguments.RequireSecrets(to);
        // A feature released before any deployment leaves a row without a version: nothing to promote either.
        var live = context.OpenLedger().Live(from.Name) is { Version.Length: > 0 } row ? row : throw new RecipeConfigurationException($"Nothing is live in '{from.Name}' to promote; deploy it first with ./build.sh --target=Deploy --environment={from.Name}.");
        var who = DeployArguments.Who(context, to);
        RolledBackVersion.Require(context, to, live.Version, "promote");
        _prepared = new PreparedDeployment(
            new DeploymentRequest(to, context.OpenFeed(), live.Version, live.Digest, live.Commit, DeploymentKind.Promote, who),
            DeployArguments.Deployment(context));
        return true;
    }

    /// <inheritdoc />
    public override Task RunAsync(RecipeContext context) =>
        (_prepared ?? throw new InvalidOperationException("ShouldRun checks the arguments before Run.")).RunAsync(context, "Promoting");
}
