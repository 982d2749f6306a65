using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Local;

/// <summary>A release started as a local process in one slot of an environment, as its state file records it.</summary>
/// <param name="Environment">The environment, such as <c>staging</c>.</param>
/// <param name="Slot">The slot, such as <c>blue</c> or <c>green</c>.</param>
/// <param name="Pid">
/// The process id the slot is controlled by: on Unix the supervisor's, which runs the app as its child and restarts it
/// when it dies (the app's own pid is in <c>&lt;slot&gt;.pid</c> beside the log); elsewhere the app's.
/// </param>
/// <param name="Port">The loopback port it listens on.</param>
/// <param name="Release">The release it runs.</param>
/// <param name="StartedAt">When it was started (UTC).</param>
/// <param name="LogFile">Where its standard output and error go.</param>
/// <param name="StoppedAt">When <see cref="ProcessSupervisor.StopAsync"/> stopped it; null while it should be running.</param>
internal sealed record ReleaseProcess(
    string Environment, string Slot, int Pid, int Port, Release Release, DateTimeOffset StartedAt, string LogFile, DateTimeOffset? StoppedAt = null) : ISlotInstance
{
    string ISlotInstance.InstanceId => $"pid {Pid}";

    IPreparedRelease ISlotInstance.Release => Release;

    string ISlotInstance.Logs => LogFile;

    /// <summary>The app's root address, such as <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}/");
}

/// <summary>One slot of an environment and the state of its process.</summary>
/// <param name="Process">The process as recorded when it started.</param>
/// <param name="State">Whether it is running now.</param>
internal sealed record SlotStatus(ReleaseProcess Process, SlotState State)
{
    /// <summary>The app's own pid, restarts and last exit, as its supervisor recorded them.</summary>
    internal SupervisionStatus? Supervision { get; init; }
}
