using Recipes.Pipeline;

namespace Recipes.Hosting.Internal;

/// <summary>
/// The build program of a repository whose build/ is the template's, untouched: the same two lines as its Program.cs,
/// compiled into Recipes.dll, so that build.sh and build.ps1 run it straight from the NuGet packages folder instead of
/// compiling build/ first (the compile is most of a fresh clone's overhead over the plain dotnet commands).
/// </summary>
internal static class TemplateBuildProgram
{
    public static int Main(string[] args) => new CakeHost().UseRecipe().Run(args);
}
