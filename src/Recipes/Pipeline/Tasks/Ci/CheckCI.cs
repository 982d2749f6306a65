using System.Text;
using Cake.Core.Diagnostics;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Fails when the committed CI workflow is missing or differs from what the recipe generates, so that a change to
/// the recipe cannot be forgotten in the workflow (and a hand edit cannot drift from the recipe).
/// </summary>
[TaskName("CheckCI")]
[TaskDescription("Fail when the committed CI workflow differs from what GenerateCI would write (--ci=github|azure|gitlab, --ci-output=PATH)")]
public sealed class CheckCI : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    /// <exception cref="RecipeException">The workflow file is missing or out of date.</exception>
    public override void Run(RecipeContext context)
    {
        var expected = CiArguments.Generate(context);
        var path = CiArguments.OutputPath(context);
        var fix = CiArguments.Fix(context);
        if (!File.Exists(path))
        {
            throw new RecipeException($"{path} is missing; {fix}.");
        }

        if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(new UTF8Encoding(false).GetBytes(expected)))
        {
            throw new RecipeException($"{path} differs from what the recipe generates; {fix}.");
        }

        context.Log.Information("{0} is up to date with the recipe.", path);
    }
}
