using System.Reflection;

namespace Recipes.Hosting.Internal;

internal static class TaskNames
{
    /// <summary>[TaskName] when present, else the class name: the same rule as Cake.Frosting.</summary>
    public static string Of(Type taskType) =>
        taskType.GetCustomAttribute<TaskNameAttribute>(inherit: false)?.Name ?? taskType.Name;
}
