namespace Recipes.Hosting;

/// <summary>A failure of the decorated task is logged, and the build goes on.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ContinueOnErrorAttribute : Attribute
{
}
