using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>The slower feedback, on the published artifact: the smoke check of every package, then the slow tests.</summary>
[TaskName(nameof(AcceptanceStage))]
[TaskDescription("Acceptance stage: PackageSmokeCheck, then SlowTests, against the packages in the feed")]
[IsDependentOn(typeof(PackageSmokeCheck))]
[IsDependentOn(typeof(SlowTests))]
public sealed class AcceptanceStage : FrostingTask<RecipeContext>
{
}
