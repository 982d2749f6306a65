using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>The fast feedback: version, compile, fast tests, package, publish.</summary>
[TaskName(nameof(CommitStage))]
[TaskDescription("Commit stage: Version, Compile, FastTests, Package, Publish")]
[IsDependentOn(typeof(Publish))]
public sealed class CommitStage : FrostingTask<RecipeContext>
{
}
