namespace Recipes.Pipeline.Arguments;

/// <summary>
/// What one target takes: its arguments, the settings it reads (what <c>--target=T --help</c> lists), and the checks
/// that need more than one argument or the repository's files (an environment that exists, a declared feature).
/// </summary>
/// <param name="Target">The target's name.</param>
/// <param name="Arguments">Its arguments, in the order help lists them.</param>
/// <param name="Settings">The names of the recipe settings it reads.</param>
/// <param name="Check">Runs before any task of the run; throws a configuration error (exit code 2) when the target cannot run as asked.</param>
internal sealed record TargetArgumentSet(
    string Target,
    IReadOnlyList<TargetArgument> Arguments,
    IReadOnlyList<string> Settings,
    Action<RecipeContext, TargetRun> Check);

/// <summary>What a target's check knows of the run: the tasks it executes, in order.</summary>
/// <param name="Tasks">The names of the tasks the run executes.</param>
internal sealed record TargetRun(IReadOnlyList<string> Tasks)
{
    /// <summary>True when the run executes <paramref name="task"/> (any case).</summary>
    public bool Runs(string task) => Tasks.Contains(task, StringComparer.OrdinalIgnoreCase);
}
