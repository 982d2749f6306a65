using Recipes.Hosting;
using Recipes.Hosting.Internal;

namespace Recipes.Pipeline.Tasks;

/// <summary>Notes whether the run packages, so that packing starts beside the fast tests only when Package follows them.</summary>
internal sealed class PackageInRun : IRunCheck
{
    /// <inheritdoc />
    public void Check(IFrostingContext context, IReadOnlyList<string> tasks)
    {
        if (context is RecipeContext recipe)
        {
            recipe.RunPackages = tasks.Contains(nameof(Package), StringComparer.OrdinalIgnoreCase);
        }
    }
}
