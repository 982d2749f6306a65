namespace Recipes.Hosting.Internal;

/// <summary>What the host learns while tasks run and needs afterwards: skip reasons and the task that failed.</summary>
internal sealed class BuildRunState
{
    private readonly Dictionary<string, string> _skipReasons = new(StringComparer.OrdinalIgnoreCase);

    public string? FailedTask { get; private set; }

    public IReadOnlyDictionary<string, string> SkipReasons => _skipReasons;

    public void RecordSkip(string task, string reason) => _skipReasons[task] = reason;

    public void RecordFailure(string task) => FailedTask ??= task;
}
