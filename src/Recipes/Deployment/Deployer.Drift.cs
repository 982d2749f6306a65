using Recipes.Deployment.Drift;

namespace Recipes.Deployment;

internal sealed partial class Deployer
{
    /// <summary>
    /// Compares every live release of <paramref name="environment"/> with the manifest recorded when it was deployed;
    /// null when its target cannot list its releases' files (a container's files are its image's).
    /// </summary>
    /// <exception cref="RecipeException">A manifest is damaged.</exception>
    public async Task<EnvironmentDrift?> DriftAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) =>
        Target(environment) is IReleaseFileListing listing
            ? await DriftCheck.RunAsync(environment, listing, new ReleaseManifests(StateDirectory), cancellationToken)
            : null;

    /// <summary>
    /// Says, in one line that also goes into the ledger row, when the environment's live release drifted from what was
    /// deployed. The deployment goes on: the new release goes to a fresh folder, so it is the cure; a failed one leaves
    /// the drifted release serving, as any failed deployment leaves the old release. A check that cannot run says nothing
    /// here (Drift reports it): it must not stop a deployment.
    /// </summary>
    private async Task NoteDriftAsync(DeploymentEnvironment environment, DeploymentJournal journal, CancellationToken cancellationToken)
    {
        EnvironmentDrift? drift;
        try
        {
            drift = await DriftAsync(environment, cancellationToken);
        }
        catch (Exception exception) when (exception is RecipeException or IOException or UnauthorizedAccessException)
        {
            return;
        }

        if (drift is { DriftedFiles: > 0 and var files, First: { } first })
        {
            journal.Note($"warning: {environment.Name} had drifted: {files} file(s) of its live release differ from what was deployed, first {first}; the new release goes to a fresh folder (./build.sh --target=Drift --environment={environment.Name} lists them)");
        }
    }
}
