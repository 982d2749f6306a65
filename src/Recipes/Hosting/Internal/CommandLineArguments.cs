using Cake.Core;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Cake's arguments: the command line only. A machine's variables never become arguments (a plain ENVIRONMENT, TO or
/// USERS set for other reasons would otherwise pick where a deployment goes); the recipe's settings read their own
/// <c>RECIPES_*</c> variables from <see cref="Environment"/>.
/// </summary>
internal sealed class CommandLineArguments(
    IReadOnlyDictionary<string, List<string>> commandLine,
    EnvironmentVariables environment) : ICakeArguments
{
    /// <summary>The variables the host was given; the recipe reads its settings' <c>RECIPES_*</c> variables from them.</summary>
    public EnvironmentVariables Environment => environment;

    private readonly HashSet<string> _asked = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Command-line arguments nothing has asked for by name so far: typos, or arguments of tasks that did not run.</summary>
    public IEnumerable<string> NeverAsked()
    {
        lock (_asked)
        {
            return commandLine.Keys.Where(name => !_asked.Contains(name)).Order(StringComparer.Ordinal).ToList();
        }
    }

    public bool HasArgument(string name)
    {
        Asked(name);
        return commandLine.ContainsKey(name);
    }

    public ICollection<string> GetArguments(string name)
    {
        Asked(name);
        return commandLine.TryGetValue(name, out var values) ? values.ToList() : [];
    }

    public IDictionary<string, ICollection<string>> GetArguments() =>
        commandLine.ToDictionary(a => a.Key, a => (ICollection<string>)a.Value.ToList(), StringComparer.OrdinalIgnoreCase);

    private void Asked(string name)
    {
        lock (_asked)
        {
            _asked.Add(name);
        }
    }
}
