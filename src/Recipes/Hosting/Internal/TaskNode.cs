namespace Recipes.Hosting.Internal;

/// <summary>One task in the graph the host gives to Cake's engine, after customizations are applied.</summary>
internal sealed class TaskNode(Type slotType, Type implementationType, string name)
{
    /// <summary>The type whose place (name and dependencies) the node takes.</summary>
    public Type SlotType { get; } = slotType;

    /// <summary>The type that does the work: the slot itself, or its replacement.</summary>
    public Type ImplementationType { get; } = implementationType;

    public string Name { get; } = name;

    public string? Description { get; set; }

    public string? TurnedOffReason { get; set; }

    public bool ContinueOnError { get; set; }

    public List<string> Dependencies { get; } = [];

    public void AddDependency(string name)
    {
        if (!Dependencies.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            Dependencies.Add(name);
        }
    }
}
