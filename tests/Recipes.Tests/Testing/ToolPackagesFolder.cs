namespace Recipes.Tests.Testing;

/// <summary>The NuGet global packages folder, as restore and the recipe see it.</summary>
internal static class ToolPackagesFolder
{
    public static string Path => Recipes.Testing.ToolPackages.PackagesFolder;
}
