using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Deploys the artifact that passed the pipeline to one environment by its strategy: the exact package from the
/// feed, checked against the manifest's SHA-512, never rebuilt. Needs no solution and does not build.
/// </summary>
[TaskName("Deploy")]
[TaskDescription("Deploy the published artifact to an environment (--environment=NAME [--version=V] [--manifest=PATH] [--lock-timeout=5m] [--approve=true] [--force])")]
public sealed class Deploy : AsyncFrostingTask<RecipeContext>
{
    private PreparedDeployment? _prepared;

    /// <summary>Checks the arguments and finds the package before the task starts, so that a wrong one exits with code 2.</summary>
    /// <exception cref="Settings.RecipeConfigurationException">An argument is missing or wrong, a secret's variable is not set, nothing records the package's digest, or the version was rolled back and --force is not given.</exception>
    public override bool ShouldRun(RecipeContext context)
    {
        var environment = ReleaseArguments.Environment(context, "Deploy");
        DeployArguments.RequireSecrets(environment);
        var (version, digest, commit) = DeployArguments.Package(context, environment);
        var who = DeployArguments.Who(context, environment);
        RolledBackVersion.Require(context, environment, version, "deploy");
        _prepared = new PreparedDeployment(
            new DeploymentRequest(environment, context.OpenFeed(), version, digest, commit, DeploymentKind.Deploy, who),
            DeployArguments.Deployment(context));
        return true;
    }

    /// <inheritdoc />
    public override Task RunAsync(RecipeContext context) =>
        (_prepared ?? throw new InvalidOperationException("ShouldRun checks the arguments before Run.")).RunAsync(context, "Deploying");
}
