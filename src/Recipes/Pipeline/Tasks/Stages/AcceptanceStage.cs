using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>The slower feedback, on the published artifact.</summary>
[TaskName(nameof(AcceptanceStage))]
[TaskDescription("Acceptance stage: SlowTests against the packages in the feed")]
[IsDependentOn(typeof(SlowTests))]
public sealed class AcceptanceStage : FrostingTask<RecipeContext>
{
}
