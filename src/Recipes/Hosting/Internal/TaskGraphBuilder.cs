using System.Reflection;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Turns task types and their attributes, plus a team's customizations, into plain named nodes with forward
/// dependencies only, so that Cake's engine sees one consistent graph.
/// </summary>
internal static class TaskGraphBuilder
{
    public static List<TaskNode> Build(IEnumerable<Type> taskTypes, TaskCustomizations customizations)
    {
        var types = CollectTypes(taskTypes.Concat(customizations.ReferencedTypes()));
        var replacementOf = customizations.Replacements.ToDictionary(r => r.Value, r => r.Key);
        var nodes = new List<TaskNode>();
        var byName = new Dictionary<string, TaskNode>(StringComparer.OrdinalIgnoreCase);
        var bySlot = new Dictionary<Type, TaskNode>();

        string NameOf(Type type) => replacementOf.TryGetValue(type, out var slot) ? TaskNames.Of(slot) : TaskNames.Of(type);

        foreach (var slot in types.Where(t => !replacementOf.ContainsKey(t)))
        {
            var implementation = customizations.Replacements.GetValueOrDefault(slot, slot);
            var node = new TaskNode(slot, implementation, TaskNames.Of(slot))
            {
                Description = DescriptionOf(implementation) ?? DescriptionOf(slot),
                ContinueOnError = implementation.IsDefined(typeof(ContinueOnErrorAttribute), inherit: true),
                TurnedOffReason = customizations.TurnedOff.GetValueOrDefault(slot)
                    ?? customizations.TurnedOff.GetValueOrDefault(implementation),
            };

            if (byName.TryGetValue(node.Name, out var clash))
            {
                throw new FrostingException(
                    $"Two tasks are named '{node.Name}': {clash.SlotType.FullName} and {slot.FullName}. " +
                    "Give one of them another name with [TaskName(\"...\")], or replace one with the other.");
            }

            byName.Add(node.Name, node);
            bySlot.Add(slot, node);
            nodes.Add(node);
        }

        foreach (var node in nodes)
        {
            foreach (var dependency in DependenciesOf(node))
            {
                node.AddDependency(NameOf(dependency));
            }

            foreach (var dependee in DependeesOf(node))
            {
                byName[NameOf(dependee)].AddDependency(node.Name);
            }
        }

        foreach (var (task, inserted) in customizations.Before)
        {
            byName[NameOf(task)].AddDependency(NameOf(inserted));
        }

        foreach (var (task, inserted) in customizations.After)
        {
            var taskName = NameOf(task);
            var insertedName = NameOf(inserted);
            foreach (var dependent in nodes.Where(n => n.Dependencies.Contains(taskName, StringComparer.OrdinalIgnoreCase)))
            {
                if (!string.Equals(dependent.Name, insertedName, StringComparison.OrdinalIgnoreCase))
                {
                    dependent.AddDependency(insertedName);
                }
            }

            byName[insertedName].AddDependency(taskName);
        }

        return nodes;
    }

    /// <summary>The given types plus every task type they name in attributes, so a dependency is never missing.</summary>
    private static List<Type> CollectTypes(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var ordered = new List<Type>();
        var pending = new Queue<(Type Type, Type? NamedBy)>(roots.Select(r => (r, (Type?)null)));
        while (pending.TryDequeue(out var item))
        {
            var type = item.Type;
            if (!typeof(IFrostingTask).IsAssignableFrom(type) || type.IsAbstract || type.IsInterface)
            {
                var namedBy = item.NamedBy is null ? string.Empty : $" (named by {item.NamedBy.FullName})";
                throw new FrostingException(
                    $"{type.FullName}{namedBy} is not a task: a task is a concrete class deriving from FrostingTask<T> or AsyncFrostingTask<T>.");
            }

            if (!seen.Add(type))
            {
                continue;
            }

            ordered.Add(type);
            foreach (var related in RelatedTypes(type))
            {
                pending.Enqueue((related, type));
            }
        }

        return ordered;
    }

    private static IEnumerable<Type> RelatedTypes(Type type) =>
        type.GetCustomAttributes<IsDependentOnAttribute>(inherit: true).Select(a => a.Task)
            .Concat(type.GetCustomAttributes<IsDependeeOfAttribute>(inherit: true).Select(a => a.Task));

    private static IEnumerable<Type> DependenciesOf(TaskNode node) =>
        node.SlotType.GetCustomAttributes<IsDependentOnAttribute>(inherit: true).Select(a => a.Task)
            .Concat(node.ImplementationType == node.SlotType
                ? []
                : node.ImplementationType.GetCustomAttributes<IsDependentOnAttribute>(inherit: true).Select(a => a.Task));

    private static IEnumerable<Type> DependeesOf(TaskNode node) =>
        node.SlotType.GetCustomAttributes<IsDependeeOfAttribute>(inherit: true).Select(a => a.Task)
            .Concat(node.ImplementationType == node.SlotType
                ? []
                : node.ImplementationType.GetCustomAttributes<IsDependeeOfAttribute>(inherit: true).Select(a => a.Task));

    private static string? DescriptionOf(Type type) =>
        type.GetCustomAttribute<TaskDescriptionAttribute>(inherit: true)?.Description;
}
