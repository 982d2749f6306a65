namespace Recipes.Hosting;

/// <summary>Gives a task the name used on the command line (<c>--target=NAME</c>). Without it the class name is used.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TaskNameAttribute(string name) : Attribute
{
    /// <summary>The task's name.</summary>
    public string Name { get; } = name;
}
