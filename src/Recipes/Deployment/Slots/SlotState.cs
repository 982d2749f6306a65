namespace Recipes.Deployment.Slots;

/// <summary>Whether a slot's release (a process or a container) is running.</summary>
internal enum SlotState
{
    /// <summary>The recorded process is alive (on Unix: the release's supervisor, which may be restarting it).</summary>
    Running,

    /// <summary>It was stopped by its target's Stop.</summary>
    Stopped,

    /// <summary>It is gone, but nobody stopped it: it crashed or was killed.</summary>
    Dead,
}
