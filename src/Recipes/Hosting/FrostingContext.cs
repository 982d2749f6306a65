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

    /// <summary>The tasks this run can reach: its targets and all they depend on; the host sets it before the first task.</summary>
    /// <remarks>So that a task can refuse a configuration a later task cannot work with, before the slow work starts.</remarks>
    internal IReadOnlySet<string> PlannedTasks { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
}
