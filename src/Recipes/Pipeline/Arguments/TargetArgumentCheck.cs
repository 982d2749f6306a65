using Recipes.Hosting;
using Recipes.Hosting.Internal;

namespace Recipes.Pipeline.Arguments;

/// <summary>
/// Checks the declared arguments of every target a run executes, before any task runs: first each value on its
/// own (a percentage above 100, a duration that is none), then the target's own checks.
/// </summary>
internal sealed class TargetArgumentCheck : IRunCheck
{
    public void Check(IFrostingContext context, IReadOnlyList<string> tasks)
    {
        if (context is not RecipeContext recipe)
        {
            return;
        }

        var run = new TargetRun(tasks);
        var targets = tasks.Select(TargetArgumentTable.For).OfType<TargetArgumentSet>().ToList();
        foreach (var argument in targets.SelectMany(t => t.Arguments))
        {
            argument.Check(context.Arguments);
        }

        foreach (var target in targets)
        {
            target.Check(recipe, run);
        }
    }
}
