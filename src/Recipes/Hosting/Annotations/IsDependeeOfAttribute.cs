namespace Recipes.Hosting;

/// <summary>
/// The reverse of <see cref="IsDependentOnAttribute"/>: <see cref="Task"/> needs the decorated task,
/// which lets a task attach itself to a target it does not own.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class IsDependeeOfAttribute(Type task) : Attribute
{
    /// <summary>The task that needs the decorated one.</summary>
    public Type Task { get; } = task;
}
