namespace Recipes.Hosting;

/// <summary>
/// Facts a run wants the reader to see under Cake's summary table: the version built, the artifacts, the test counts.
/// Resolve it from the service container (tasks and contexts get it in their constructors).
/// </summary>
public sealed class RunSummary
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    /// <summary>Where the end of the run records its tasks for the HTML report (<c>artifacts/run.json</c>), or null.</summary>
    internal string? RecordPath { get; set; }

    /// <summary>The facts, in the order they were first set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries;

    /// <summary>Sets a fact; setting a label again replaces its value in place.</summary>
    public void Set(string label, string value)
    {
        var index = _entries.FindIndex(e => e.Key == label);
        if (index >= 0)
        {
            _entries[index] = new(label, value);
        }
        else
        {
            _entries.Add(new(label, value));
        }
    }
}
