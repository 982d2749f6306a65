using Cake.Core;

namespace Recipes.Hosting;

/// <summary>Runs once before the first task.</summary>
public interface IFrostingSetup
{
    /// <summary>Prepares the build, e.g. computes the version once for every task.</summary>
    void Setup(ICakeContext context, ISetupContext info);
}

/// <summary>Runs once after the last task, also when a task failed.</summary>
public interface IFrostingTeardown
{
    /// <summary>Cleans up after the build.</summary>
    void Teardown(ICakeContext context, ITeardownContext info);
}

/// <summary>A build's setup and teardown together.</summary>
public interface IFrostingLifetime : IFrostingSetup, IFrostingTeardown
{
}

/// <summary>Base class for a build's setup and teardown; register it with <c>UseLifetime&lt;T&gt;()</c>.</summary>
/// <typeparam name="TContext">The build's context.</typeparam>
public abstract class FrostingLifetime<TContext> : IFrostingLifetime
    where TContext : ICakeContext
{
    /// <summary>Runs once before the first task.</summary>
    public virtual void Setup(TContext context, ISetupContext info)
    {
    }

    /// <summary>Runs once after the last task, also when a task failed.</summary>
    public virtual void Teardown(TContext context, ITeardownContext info)
    {
    }

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);

    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

/// <summary>Base class for a lifetime on the default context.</summary>
public abstract class FrostingLifetime : FrostingLifetime<ICakeContext>
{
}
