namespace Recipes.Hosting.Internal;

/// <summary>One option the host itself understands. Every option lives in <see cref="HostOptions.Table"/>.</summary>
internal sealed record HostOption(string Name, string[] Aliases, string? ValueName, string Description)
{
    public bool TakesValue => ValueName is not null;

    public bool Matches(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase)
        || Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
}
