namespace Recipes.Deployment.Local;

internal sealed partial class LocalDeployment
{
    /// <summary>
    /// After a deployment or rollback recorded as <paramref name="result"/>, with the lock free: keeps the release it
    /// replaced warm for the blue-green grace period (<paramref name="purpose"/> says what for), then stops it.
    /// </summary>
    private async Task<DeploymentResult> KeepWarmAfterAsync(Rollout? rollout, DeploymentResult result, string purpose, CancellationToken cancellationToken)
    {
        if (rollout is not null && Rollouts.GracePeriod(rollout) is var grace && grace > TimeSpan.Zero)
        {
            await KeepWarmAsync(rollout, result.LedgerId, grace, purpose, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// The blue-green grace period, after the deployment's row is complete and its lock released: the old release
    /// stays warm for <paramref name="grace"/>, so that a Rollback from another shell switches back to it at once.
    /// Then the lock is taken again briefly, and the old release is stopped only if nothing changed the environment
    /// since (no newer deploy, promote or rollback row). When the new release exits meanwhile, traffic goes back to the old one.
    /// </summary>
    /// <exception cref="RolloutFailedException">The new release exited during the grace period.</exception>
    private async Task KeepWarmAsync(Rollout rollout, long id, TimeSpan grace, string purpose, CancellationToken cancellationToken)
    {
        var environment = rollout.Environment;
        var old = rollout.Live!;
        _log($"Keeping {old.Process.Release.Version} warm in slot {old.Slot} for {grace.TotalSeconds:0.#} s, {purpose}; the change is recorded and {environment.Name} is unlocked");
        RolloutFailedException? exited = null;
        try
        {
            await rollout.WatchAsync(grace);
        }
        catch (RolloutFailedException failure)
        {
            exited = failure;
        }

        using var held = await LockAsync(environment, $"End of the grace period of ledger #{id}", cancellationToken);
        // A feature Release changes no slot; a deploy, promote or rollback since then owns the slots now.
        if (Ledger.History(environment.Name).FirstOrDefault(row => row.Kind != DeploymentKind.Release) is { } newest && newest.Id != id)
        {
            _log($"{environment.Name} changed during the grace period ({newest.Kind} of {newest.Version}, ledger #{newest.Id}); slot {old.Slot} is left as that change left it");
            return;
        }

        if (exited is null)
        {
            await rollout.StopLiveAsync();
            return;
        }

        if (!DetachedProcesses.IsRunning(old.Process.Pid, old.Process.Release.EntryAssembly))
        {
            throw new RolloutFailedException($"{exited.Message}, and {old.Process.Release.Version} in slot {old.Slot} no longer runs either; deploy again");
        }

        await rollout.SwitchBackAsync();
        var undone = $"{exited.Message} during the grace period; switched back to {old.Process.Release.Version} in slot {old.Slot}";
        Ledger.Complete(id, DeploymentOutcome.RolledBack, $"{rollout.Details}; {undone}");
        throw new RolloutFailedException(undone);
    }
}
