using System.Text;
using Cake.Core.Diagnostics;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Writes the CI file of the recipe (<c>.github/workflows/pipeline.yml</c>, <c>azure-pipelines.yml</c> or
/// <c>.gitlab-ci.yml</c>): commit stage, acceptance stage on
/// the published artifact, and one deployment job per environment in promotion order. Needs no solution.
/// </summary>
[TaskName("GenerateCI")]
[TaskDescription("Write the CI workflow from the recipe (--ci=github|azure|gitlab, --ci-output=PATH)")]
public sealed class GenerateCI : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var text = CiArguments.Generate(context);
        var path = CiArguments.OutputPath(context);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        context.Log.Information("Wrote {0}", path);
        context.Summary.Set("CI workflow", path);
    }
}
