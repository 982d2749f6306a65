namespace Recipes.Deployment.Slots;

/// <summary>The release a blue-green switch replaced, kept warm in its slot for the grace period.</summary>
internal sealed class WarmHandover : IWarmHandover
{
    private readonly Rollout _rollout;
    private readonly ISlotRuntime _slots;
    private readonly LiveSlot _old;

    private WarmHandover(Rollout rollout, ISlotRuntime slots, LiveSlot old, TimeSpan grace)
    {
        _rollout = rollout;
        _slots = slots;
        _old = old;
        GracePeriod = grace;
    }

    public TimeSpan GracePeriod { get; }

    public string OldVersion => _old.Process.Release.Version;

    public string OldPlace => $"slot {_old.Slot}";

    public string Details => _rollout.Details;

    /// <summary>The handover after <paramref name="rollout"/>, or null when its strategy keeps nothing warm.</summary>
    public static WarmHandover? After(Rollout rollout, ISlotRuntime slots) =>
        rollout.Live is { } old && Rollouts.GracePeriod(rollout) is var grace && grace > TimeSpan.Zero ? new WarmHandover(rollout, slots, old, grace) : null;

    public Task WatchAsync(TimeSpan duration) => _rollout.WatchAsync(duration);

    public bool OldRuns() => _slots.IsRunning(_old.Process);

    public Task StopOldAsync() => _rollout.StopLiveAsync();

    public Task SwitchBackAsync() => _rollout.SwitchBackAsync();
}
