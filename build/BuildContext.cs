using Cake.Common;
using Cake.Core;
using Recipes.Hosting;

/// <summary>What this repository's build tasks share.</summary>
public sealed class BuildContext(ICakeContext context) : FrostingContext(context)
{
    public string Solution { get; } = "Recipes.sln";

    public string BuildConfiguration { get; } = context.Argument("configuration", "Release");
}
