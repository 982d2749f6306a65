namespace Recipes.Deployment.Slots;

internal partial class SlotTarget
{
    /// <summary>
    /// Puts the earlier release back: at once when its slot is still warm, else from what the artifacts kept (or
    /// fetched and checked again) in the idle slot. The switch is reported like a deployment's.
    /// </summary>
    async Task<TargetResult> IDeploymentTarget.RollbackAsync(TargetRollback rollback, CancellationToken cancellationToken)
    {
        var environment = rollback.Environment;
        var target = rollback.To;
        var router = await Router(environment).EnsureRunningAsync(cancellationToken);
        var current = await FindLiveAsync(environment, router, cancellationToken);
        var warm = _slots.Status(environment.Name)
            .FirstOrDefault(slot => slot.State == SlotState.Running && slot.Instance.Release.Digest == target.Digest && slot.Instance.Slot != current?.Slot);
        var release = warm?.Instance.Release ?? _artifacts.FindKept(environment, target) ?? await FetchAgainAsync(rollback, cancellationToken);
        var rollout = new Rollout(environment, _slots, () => Task.FromResult(router), release, rollback.LedgerId, current, rollback.StartOptions, rollback.Journal, cancellationToken);
        if (warm is not null)
        {
            rollout.Adopt(warm.Instance);
        }
        else
        {
            await rollout.StartAsync();
        }

        await rollout.SwitchToNewAsync();
        rollout.Note(Rollouts.Switched(rollout));
        rollout.Note(warm is not null ? $"{target.Version} was still warm in slot {rollout.Slot}" : $"restarted {target.Version} in slot {rollout.Slot} from {release.Location}");
        if (Rollouts.GracePeriod(rollout) == TimeSpan.Zero)
        {
            await rollout.StopLiveAsync();
        }

        return new TargetResult(target.Version, rollout.SwitchTime) { KeepWarm = WarmHandover.After(rollout, _slots) };
    }

    private async Task<IPreparedRelease> FetchAgainAsync(TargetRollback rollback, CancellationToken cancellationToken)
    {
        await using var artifact = await rollback.FetchChecked(cancellationToken);
        return await _artifacts.PrepareAsync(rollback.Environment, artifact, cancellationToken);
    }
}
