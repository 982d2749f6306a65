using Recipes.Feeds;

namespace Recipes.Deployment.Local;

internal sealed partial class LocalDeployment
{
    /// <summary>
    /// Puts the release before the live one back: at once when its slot is still warm, else from its kept folder (or the
    /// feed, checked against its digest again) in the idle slot. The switch is reported like a deployment's; under a
    /// blue-green strategy the undone release keeps serving its requests in flight for the grace period, then stops.
    /// The undone release is never a rollback target again.
    /// </summary>
    /// <exception cref="RecipeException">Nothing is deployed, or there is no earlier release.</exception>
    public async Task<DeploymentResult> RollbackAsync(DeploymentEnvironment environment, IPackageFeed feed, string who, CancellationToken cancellationToken)
    {
        RequireSecrets(environment);
        Rollout? rollout = null;
        DeploymentResult result;
        using (await LockAsync(environment, $"Rollback by {who}", cancellationToken))
        {
            var live = Ledger.Live(environment.Name)
                ?? throw new RecipeException($"Nothing is deployed to {environment.Name}, so there is nothing to roll back; deploy with ./build.sh --target=Deploy --environment={environment.Name}.");
            var target = Ledger.PreviousSucceeded(environment.Name)
                ?? throw new RecipeException($"{environment.Name} runs {live.Artifact} {live.Version} and the ledger has no earlier good release to roll back to; deploy a fixed version instead.");
            var id = Ledger.Begin(new DeploymentRecord(environment.Name, target.Artifact, target.Version, target.Digest, target.Commit, environment.Strategy.Kind, DeploymentKind.Rollback, who));
            result = await RecordAsync(id, () => rollout?.Details, async () =>
            {
                var router = await Router(environment).EnsureRunningAsync(cancellationToken);
                var current = await FindLiveAsync(environment, router, cancellationToken);
                var warm = _supervisor.Status(environment.Name)
                    .FirstOrDefault(slot => slot.State == SlotState.Running && slot.Process.Release.Digest == target.Digest && slot.Process.Slot != current?.Slot);
                var store = Store(environment);
                var release = warm?.Process.Release
                    ?? store.FindExisting(target.Artifact, target.Version, target.Digest)
                    ?? await store.PrepareAsync(feed, target.Artifact, target.Version, target.Digest, cancellationToken);
                rollout = new Rollout(environment, _supervisor, () => Task.FromResult(router), release, id, current, StartOptions(environment), _log, cancellationToken);
                if (warm is not null)
                {
                    rollout.Adopt(warm.Process);
                }
                else
                {
                    await rollout.StartAsync();
                }

                await rollout.SwitchToNewAsync();
                rollout.Note(Rollouts.Switched(rollout));
                rollout.Note(warm is not null ? $"{target.Version} was still warm in slot {rollout.Slot}" : $"restarted {target.Version} in slot {rollout.Slot} from {release.Folder}");
                if (Rollouts.GracePeriod(rollout) == TimeSpan.Zero)
                {
                    await rollout.StopLiveAsync();
                }

                Ledger.MarkRolledBack(environment.Name, target.Id, live.Version);
                return new DeploymentResult(id, target.Version, $"rolled back from {live.Version}: {rollout.Details}", rollout.SwitchTime);
            });
        }

        return await KeepWarmAfterAsync(rollout, result, "so that its requests in flight finish", cancellationToken);
    }
}
