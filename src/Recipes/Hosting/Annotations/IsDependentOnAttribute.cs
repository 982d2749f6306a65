namespace Recipes.Hosting;

/// <summary>The decorated task runs after <see cref="Task"/>, which it needs.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class IsDependentOnAttribute(Type task) : Attribute
{
    /// <summary>The task that must run first.</summary>
    public Type Task { get; } = task;
}
