using Cake.Core;

namespace Recipes.Hosting;

/// <summary>
/// A task as the host sees it. Derive from <see cref="FrostingTask{TContext}"/> or
/// <see cref="AsyncFrostingTask{TContext}"/> rather than implementing this directly.
/// </summary>
public interface IFrostingTask
{
    /// <summary>The context type the task needs; the host's context must be assignable to it.</summary>
    Type ContextType { get; }

    /// <summary>Does the task's work.</summary>
    Task RunAsync(ICakeContext context);

    /// <summary>Decides whether the task runs in this build.</summary>
    bool ShouldRun(ICakeContext context);

    /// <summary>Why the last <see cref="ShouldRun"/> said no, for the summary table; null when no reason was given.</summary>
    string? SkipReason { get; }

    /// <summary>Handles a failure of <see cref="RunAsync"/>. As in Cake, a handler that returns has handled the error; rethrow to fail the build.</summary>
    void OnError(Exception exception, ICakeContext context);

    /// <summary>Runs after the task, whether it passed or failed.</summary>
    void Finally(ICakeContext context);
}
