namespace Recipes.Hosting;

/// <summary>
/// Changes to the task graph that a team makes without copying the tasks it got from a shared library:
/// turn a task off, put its own task in its place, or run its own tasks before or after it.
/// </summary>
public sealed class TaskCustomizations
{
    private readonly Dictionary<Type, string> _turnedOff = [];
    private readonly Dictionary<Type, Type> _replacements = [];
    private readonly List<(Type Task, Type Inserted)> _before = [];
    private readonly List<(Type Task, Type Inserted)> _after = [];

    internal IReadOnlyDictionary<Type, string> TurnedOff => _turnedOff;

    internal IReadOnlyDictionary<Type, Type> Replacements => _replacements;

    internal IReadOnlyList<(Type Task, Type Inserted)> Before => _before;

    internal IReadOnlyList<(Type Task, Type Inserted)> After => _after;

    /// <summary>
    /// Keeps <typeparamref name="TTask"/> in the graph, so its dependents still run in order, but never runs it;
    /// the summary shows it as skipped with <paramref name="reason"/>.
    /// </summary>
    public TaskCustomizations TurnOff<TTask>(string reason = "turned off by the build")
        where TTask : IFrostingTask
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _turnedOff[typeof(TTask)] = reason;
        return this;
    }

    /// <summary>
    /// Runs <typeparamref name="TReplacement"/> in the place of <typeparamref name="TTask"/>: under its name and with
    /// its dependencies (plus the replacement's own), so targets that need <typeparamref name="TTask"/> get the replacement.
    /// </summary>
    public TaskCustomizations Replace<TTask, TReplacement>()
        where TTask : IFrostingTask
        where TReplacement : IFrostingTask
    {
        if (typeof(TTask) == typeof(TReplacement))
        {
            throw new ArgumentException($"A task cannot replace itself: {typeof(TTask).Name}.");
        }

        _replacements[typeof(TTask)] = typeof(TReplacement);
        return this;
    }

    /// <summary>Runs <typeparamref name="TInserted"/> whenever <typeparamref name="TTask"/> runs, just before it.</summary>
    public TaskCustomizations InsertBefore<TTask, TInserted>()
        where TTask : IFrostingTask
        where TInserted : IFrostingTask
    {
        _before.Add((typeof(TTask), typeof(TInserted)));
        return this;
    }

    /// <summary>
    /// Runs <typeparamref name="TInserted"/> after <typeparamref name="TTask"/>, and before every task that needs
    /// <typeparamref name="TTask"/>, so aggregate targets include it.
    /// </summary>
    public TaskCustomizations InsertAfter<TTask, TInserted>()
        where TTask : IFrostingTask
        where TInserted : IFrostingTask
    {
        _after.Add((typeof(TTask), typeof(TInserted)));
        return this;
    }

    internal IEnumerable<Type> ReferencedTypes() =>
        _turnedOff.Keys
            .Concat(_replacements.Keys).Concat(_replacements.Values)
            .Concat(_before.SelectMany(b => new[] { b.Task, b.Inserted }))
            .Concat(_after.SelectMany(a => new[] { a.Task, a.Inserted }));
}
