namespace Recipes.Ci;

/// <summary>
/// The step that restores the stage cache before the commit stage and saves it after, with each server's own cache
/// step: keyed by the commit, so a retry of the same commit replays Compile, FastTests and Package, and falling back to
/// the latest entry of any commit, against which a miss names what changed.
/// </summary>
internal static class StageCacheSteps
{
    private const string Name = "Cache the stages (Compile, FastTests, Package)";

    /// <summary>GitHub Actions: actions/cache on the default cache folder, ~/.recipes/cache.</summary>
    public static CiStep GitHub()
    {
        var step = new CiStep { Name = Name, Uses = "actions/cache@v4" };
        step.With.Add("path", "~/.recipes/cache");
        step.With.Add("key", "recipes-stages-${{ runner.os }}-${{ github.sha }}");
        step.With.Add("restore-keys", "recipes-stages-${{ runner.os }}-");
        return step;
    }

    /// <summary>The variable that puts the Azure Pipelines cache folder in the workspace, outside the sources, where Cache@2 can keep it.</summary>
    public static (string Name, string Value) AzureFolder => ("RECIPES_CACHE_DIRECTORY", "$(Pipeline.Workspace)/.recipes/cache");

    /// <summary>Azure Pipelines: Cache@2 on <see cref="AzureFolder"/>.</summary>
    public static CiStep Azure()
    {
        var step = new CiStep { Name = Name, Uses = "Cache@2" };
        step.With.Add("key", "recipes-stages | \"$(Agent.OS)\" | \"$(Build.SourceVersion)\"");
        step.With.Add("restoreKeys", "recipes-stages | \"$(Agent.OS)\"");
        step.With.Add("path", $"$({AzureFolder.Name})");
        return step;
    }
}
