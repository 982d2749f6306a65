namespace Recipes.Pipeline;

/// <summary>
/// One dotnet call a stage is about to make, as a settings hook sees it (see <see cref="RecipeSettings.Configure{TSettings}(Action{TSettings, ToolCall})"/>):
/// which task makes it and on which project or solution, so that a hook can change one stage's or one project's call only.
/// </summary>
public sealed class ToolCall
{
    internal ToolCall(string task, string project)
    {
        Task = task;
        Project = project;
    }

    /// <summary>The task that makes the call: <c>Compile</c>, <c>FastTests</c>, <c>SlowTests</c> or <c>Package</c>.</summary>
    public string Task { get; }

    /// <summary>The full path of the project or solution the call acts on.</summary>
    public string Project { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Task}: {Project}";
}
