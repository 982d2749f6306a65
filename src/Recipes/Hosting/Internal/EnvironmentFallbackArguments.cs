using Cake.Core;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Cake's arguments, with the environment as fallback: an argument absent from the command line is read from the
/// environment variable of the same name, then from its upper-case form with '-' and '.' as '_'
/// (<c>--api-url</c> falls back to <c>api-url</c>, then <c>API_URL</c>). The command line always wins.
/// </summary>
internal sealed class EnvironmentFallbackArguments(
    IReadOnlyDictionary<string, List<string>> commandLine,
    EnvironmentVariables environment) : ICakeArguments
{
    /// <summary>Where the fallback values come from; the recipe reads its settings from the same place.</summary>
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
        return commandLine.ContainsKey(name) || FromEnvironment(name) is not null;
    }

    public ICollection<string> GetArguments(string name)
    {
        Asked(name);
        if (commandLine.TryGetValue(name, out var values))
        {
            return values.ToList();
        }

        return FromEnvironment(name) is { } value ? [value] : [];
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

    public static string EnvironmentName(string name) =>
        new(name.Select(c => c is '-' or '.' ? '_' : char.ToUpperInvariant(c)).ToArray());

    private string? FromEnvironment(string name) =>
        NonEmpty(environment.Get(name)) ?? NonEmpty(environment.Get(EnvironmentName(name)));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
