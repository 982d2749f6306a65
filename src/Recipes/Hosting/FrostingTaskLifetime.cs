using Cake.Core;

namespace Recipes.Hosting;

/// <summary>Runs before each task.</summary>
public interface IFrostingTaskSetup
{
    /// <summary>Called before each task that runs.</summary>
    void Setup(ICakeContext context, ITaskSetupContext info);
}

/// <summary>Runs after each task.</summary>
public interface IFrostingTaskTeardown
{
    /// <summary>Called after each task that ran, whether it passed or failed.</summary>
    void Teardown(ICakeContext context, ITaskTeardownContext info);
}

/// <summary>Per-task setup and teardown together.</summary>
public interface IFrostingTaskLifetime : IFrostingTaskSetup, IFrostingTaskTeardown
{
}

/// <summary>Base class for per-task setup and teardown; register it with <c>UseTaskLifetime&lt;T&gt;()</c>.</summary>
/// <typeparam name="TContext">The build's context.</typeparam>
public abstract class FrostingTaskLifetime<TContext> : IFrostingTaskLifetime
    where TContext : ICakeContext
{
    /// <summary>Called before each task that runs.</summary>
    public virtual void Setup(TContext context, ITaskSetupContext info)
    {
    }

    /// <summary>Called after each task that ran, whether it passed or failed.</summary>
    public virtual void Teardown(TContext context, ITaskTeardownContext info)
    {
    }

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((TContext)context, info);

    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((TContext)context, info);
}

/// <summary>Base class for per-task lifetime on the default context.</summary>
public abstract class FrostingTaskLifetime : FrostingTaskLifetime<ICakeContext>
{
}
