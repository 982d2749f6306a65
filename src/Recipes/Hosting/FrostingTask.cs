using Cake.Core;

namespace Recipes.Hosting;

/// <summary>A task that runs on the default <see cref="ICakeContext"/>.</summary>
public abstract class FrostingTask : FrostingTask<ICakeContext>
{
}

/// <summary>A synchronous task. Override <see cref="Run"/>; the other members are optional.</summary>
/// <typeparam name="TContext">The context the task needs.</typeparam>
public abstract class FrostingTask<TContext> : FrostingTaskBase<TContext>
    where TContext : ICakeContext
{
    /// <summary>Does the task's work.</summary>
    public virtual void Run(TContext context)
    {
    }

    /// <inheritdoc />
    protected sealed override Task RunCoreAsync(TContext context)
    {
        Run(context);
        return Task.CompletedTask;
    }
}

/// <summary>An asynchronous task. Override <see cref="RunAsync"/>; the other members are optional.</summary>
/// <typeparam name="TContext">The context the task needs.</typeparam>
public abstract class AsyncFrostingTask<TContext> : FrostingTaskBase<TContext>
    where TContext : ICakeContext
{
    /// <summary>Does the task's work.</summary>
    public virtual Task RunAsync(TContext context) => Task.CompletedTask;

    /// <inheritdoc />
    protected sealed override Task RunCoreAsync(TContext context) => RunAsync(context);
}

/// <summary>An asynchronous task that runs on the default <see cref="ICakeContext"/>.</summary>
public abstract class AsyncFrostingTask : AsyncFrostingTask<ICakeContext>
{
}

/// <summary>What synchronous and asynchronous tasks share: the run decision, error handling and clean-up.</summary>
/// <typeparam name="TContext">The context the task needs.</typeparam>
public abstract class FrostingTaskBase<TContext> : IFrostingTask
    where TContext : ICakeContext
{
    private string? _skipReason;

    /// <summary>Decides whether the task runs. Return <c>Skip("reason")</c> to say why not in the summary.</summary>
    public virtual bool ShouldRun(TContext context) => true;

    /// <summary>Handles a failure of the task's work. As in Cake, returning means handled and the build goes on; rethrow to fail it.</summary>
    public virtual void OnError(Exception exception, TContext context)
    {
    }

    /// <summary>Runs after the task, whether it passed or failed.</summary>
    public virtual void Finally(TContext context)
    {
    }

    /// <summary>Use in <see cref="ShouldRun"/>: <c>return context.IsTagged || Skip("not a tagged commit");</c></summary>
    /// <param name="reason">Shown in the summary table's Skip Reason column.</param>
    /// <returns>Always false.</returns>
    protected bool Skip(string reason)
    {
        _skipReason = reason;
        return false;
    }

    /// <summary>Runs the task's work; implemented by the synchronous and asynchronous bases.</summary>
    protected abstract Task RunCoreAsync(TContext context);

    Type IFrostingTask.ContextType => typeof(TContext);

    string? IFrostingTask.SkipReason => _skipReason;

    Task IFrostingTask.RunAsync(ICakeContext context) => RunCoreAsync((TContext)context);

    bool IFrostingTask.ShouldRun(ICakeContext context)
    {
        _skipReason = null;
        return ShouldRun((TContext)context);
    }

    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);

    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}
