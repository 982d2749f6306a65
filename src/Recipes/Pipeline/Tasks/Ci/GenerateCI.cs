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
    private string? _text;

    /// <summary>Checks the arguments and works out the workflow before the task starts, so that a wrong one exits with code 2.</summary>
    /// <exception cref="Settings.RecipeConfigurationException">The CI server is not supported, or the environments file is wrong.</exception>
    public override bool ShouldRun(RecipeContext context)
    {
        _text = CiArguments.Generate(context);
        return true;
    }

    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var text = _text ?? throw new InvalidOperationException("ShouldRun works out the workflow before Run.");
        var path = CiArguments.OutputPath(context);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        context.Log.Information("Wrote {0}", path);
        context.Summary.Set("CI workflow", path);
    }
}
