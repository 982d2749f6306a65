using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Local;

/// <summary>The supervisor as the local target's slot runtime: the strategies start and stop processes through this.</summary>
internal sealed partial class ProcessSupervisor : ISlotRuntime
{
    async Task<ISlotInstance> ISlotRuntime.StartHealthyAsync(
        string environment, string slot, IPreparedRelease release, ReleaseStartOptions options, HealthCheck health, Action<ISlotInstance> started, CancellationToken cancellationToken) =>
        await StartHealthyAsync(environment, slot, Local(release), options, health, started, cancellationToken);

    async Task ISlotRuntime.StopAsync(string environment, string slot, TimeSpan grace, CancellationToken cancellationToken) =>
        await StopAsync(environment, slot, grace, cancellationToken);

    IReadOnlyList<SlotReport> ISlotRuntime.Status(string environment) => [.. Status(environment).Select(Report)];

    /// <summary>A slot as every slot target reports it: the app's own pid (not its supervisor's) and its restarts.</summary>
    internal static SlotReport Report(SlotStatus slot) => new(
        slot.Process,
        slot.State,
        slot.Supervision?.ToString() ?? slot.State.ToString().ToLowerInvariant(),
        $"pid {slot.Supervision?.ProgramPid ?? slot.Process.Pid}, port {slot.Process.Port}");

    bool ISlotRuntime.IsRunning(ISlotInstance instance) =>
        instance is ReleaseProcess process && DetachedProcesses.IsRunning(process.Pid, process.Release.EntryAssembly);

    IReadOnlyList<string> ISlotRuntime.InUse() => FoldersInUse();

    string? ISlotRuntime.Caveat(IPreparedRelease release) => ReadOnlyReleaseMount.Unavailable is { } why
        ? $"{release.Id} runs as root, which file modes do not stop, so it could write into its release folder: {why}"
        : null;

    /// <exception cref="ArgumentException">The release was not unpacked for local processes.</exception>
    private static Release Local(IPreparedRelease release) =>
        release as Release ?? throw new ArgumentException($"{release.Id} {release.Version} at {release.Location} is not an unpacked release folder; the local target runs only those.", nameof(release));
}
