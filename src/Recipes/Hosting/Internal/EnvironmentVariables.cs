using Cake.Core;

namespace Recipes.Hosting.Internal;

/// <summary>
/// The environment variables the host and the recipe read arguments and settings from: the process's own, or a
/// dictionary that an in-process test hands the host (tests run in parallel, so they never set real variables).
/// </summary>
internal sealed class EnvironmentVariables(Func<string, string?> read, Func<IEnumerable<string>> names)
{
    /// <summary>The variables of this process.</summary>
    public static EnvironmentVariables Process { get; } = new(
        Environment.GetEnvironmentVariable,
        () => Environment.GetEnvironmentVariables().Keys.Cast<string>().ToList());

    /// <summary>Every name that has a value.</summary>
    public IEnumerable<string> Names => names();

    /// <summary>Variables read from <paramref name="variables"/>, live: later changes to the dictionary are seen.</summary>
    public static EnvironmentVariables From(IReadOnlyDictionary<string, string> variables) =>
        new(name => variables.GetValueOrDefault(name), () => variables.Keys);

    /// <summary>
    /// The variables behind Cake's arguments: the host's (see <see cref="CakeHost"/>'s <c>UseEnvironment</c>), which
    /// it hands to the arguments so that the recipe reads its settings there, else the process's.
    /// </summary>
    public static EnvironmentVariables Behind(ICakeArguments arguments) =>
        arguments is CommandLineArguments host ? host.Environment : Process;

    /// <summary>The value of <paramref name="name"/>, or null when it is not set.</summary>
    public string? Get(string name) => read(name);
}
