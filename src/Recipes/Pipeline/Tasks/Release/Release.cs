using Cake.Core.Diagnostics;
using Recipes.Deployment.Toggles;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Changes who sees a feature in one environment without a deployment: sets it in the environment's features file
/// (which the running app reloads) and records the change in the deployment ledger as a release.
/// </summary>
[TaskName("Release")]
[TaskDescription("Change a feature's exposure without deploying (--environment=NAME --feature=F, and --percentage=P, --enabled=true|false, or --users=A,B --groups=G:P)")]
public sealed class Release : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var (environment, feature, exposure) = ReleaseArguments.Request(context);

        var file = FeatureToggleFile.For(context.StateDirectory, environment.Name);
        var change = FeatureRelease.Set(file, environment.Name, environment.Features.Keys, feature, exposure);
        FeatureRelease.Record(context.OpenLedger(), change, environment.Artifact, Environment.UserName);

        context.Log.Information("{0} in {1} ({2})", change.Details, environment.Name, file.Path);
        context.Summary.Set($"Release to {environment.Name}", change.Details);
    }
}
