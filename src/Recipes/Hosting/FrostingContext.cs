using Cake.Core;
using Recipes.Ci.BuildServers;

namespace Recipes.Hosting;

/// <summary>The context that every task receives. Derive from <see cref="FrostingContext"/> to carry a build's own state.</summary>
public interface IFrostingContext : ICakeContext
{
}

/// <summary>The default context: Cake's context, with all of Cake.Common's aliases available as extension methods.</summary>
public class FrostingContext : CakeContextAdapter, IFrostingContext
{
    /// <summary>Wraps Cake's context; resolved from the service container.</summary>
    public FrostingContext(ICakeContext context) : base(context)
    {
    }

    /// <summary>The CI server this run reports to; the host sets it before the first task.</summary>
    internal IBuildServerReporter BuildServer { get; set; } = QuietReporter.Local;

}
