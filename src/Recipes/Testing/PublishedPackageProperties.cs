namespace Recipes.Testing;

/// <summary>
/// The MSBuild properties that point a slow test project at published packages instead of the build folder: the
/// acceptance stage (SlowTests) and a live release's database checks at Deploy set them alike.
/// </summary>
internal static class PublishedPackageProperties
{
    /// <summary>The version under test, which the test project's package references take.</summary>
    public const string Version = "RecipesPackageVersion";

    /// <summary>The feed the test project restores the packages from.</summary>
    public const string Feed = "RecipesFeed";
}
