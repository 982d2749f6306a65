using Recipes.Deployment.Slots;


namespace Recipes.Deployment;

internal sealed partial class Deployer
{
    /// <summary>
    /// After a deployment or rollback recorded as <paramref name="result"/>, with the lock free: keeps the release it
    /// replaced warm for the blue-green grace period (<paramref name="purpose"/> says what for), then stops it.
    /// </summary>
    private async Task<DeploymentResult> KeepWarmAfterAsync(DeploymentEnvironment environment, IWarmHandover? warm, DeploymentResult result, string purpose, CancellationToken cancellationToken)
    {
        if (warm is not null && warm.GracePeriod > TimeSpan.Zero)
        {
            await KeepWarmAsync(environment, warm, result.LedgerId, purpose, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// The blue-green grace period, after the deployment's row is complete and its lock released: the old release
    /// stays warm, so that a Rollback from another shell switches back to it at once. Then the lock is taken again
    /// briefly, and the old release is stopped only if nothing changed the environment since (no newer deploy, promote
    /// or rollback row). When the new release exits meanwhile, traffic goes back to the old one.
    /// </summary>
    /// <exception cref="RolloutFailedException">The new release exited during the grace period.</exception>
    private async Task KeepWarmAsync(DeploymentEnvironment environment, IWarmHandover warm, long id, string purpose, CancellationToken cancellationToken)
    {
        Log($"Keeping {warm.OldVersion} warm in {warm.OldPlace} for {warm.GracePeriod.TotalSeconds:0.#} s, {purpose}; the change is recorded and {environment.Name} is unlocked");
        RolloutFailedException? exited = null;
        try
        {
            await warm.WatchAsync(warm.GracePeriod);
        }
        catch (RolloutFailedException failure)
        {
            exited = failure;
        }

        using var held = await LockAsync(environment, $"End of the grace period of ledger #{id}", cancellationToken);
        // A feature Release and a Contract change no slot; a deploy, promote or rollback since then owns the slots now.
        if (Ledger.History(environment.Name).FirstOrDefault(row => row.Kind is not (DeploymentKind.Release or DeploymentKind.Contract)) is { } newest && newest.Id != id)
        {
            Log($"{environment.Name} changed during the grace period ({newest.Kind} of {newest.Version}, ledger #{newest.Id}); {warm.OldPlace} is left as that change left it");
            return;
        }

        if (exited is null)
        {
            await warm.StopOldAsync();
            return;
        }

        if (!warm.OldRuns())
        {
            throw new RolloutFailedException($"{exited.Message}, and {warm.OldVersion} in {warm.OldPlace} no longer runs either; deploy again");
        }

        await warm.SwitchBackAsync();
        var undone = $"{exited.Message} during the grace period; switched back to {warm.OldVersion} in {warm.OldPlace}";
        Ledger.Complete(id, DeploymentOutcome.RolledBack, $"{warm.Details}; {undone}");
        throw new RolloutFailedException(undone);
    }
}
