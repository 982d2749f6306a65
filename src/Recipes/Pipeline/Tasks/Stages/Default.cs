using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>The whole line up to the acceptance stage: what <c>./build.sh</c> runs.</summary>
[TaskName(CakeHost.DefaultTarget)]
[TaskDescription("Commit stage, then acceptance stage")]
[IsDependentOn(typeof(CommitStage))]
[IsDependentOn(typeof(AcceptanceStage))]
public sealed class Default : FrostingTask<RecipeContext>
{
}
