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

    /// <summary>
    /// The variable that puts the GitLab cache folder in the project's folder, the only place GitLab's cache keeps: a
    /// dot-folder, which MSBuild's default globs skip and the stage cache never counts as an input.
    /// </summary>
    public static (string Name, string Value) GitLabFolder => ("RECIPES_CACHE_DIRECTORY", "$CI_PROJECT_DIR/.recipes-cache");

    /// <summary>
    /// GitLab CI: the job's <c>cache</c> on <see cref="GitLabFolder"/>, one per branch, starting from the default
    /// branch's. GitLab restores by exact key only (no prefix, as GitHub's restore-keys): a key with the commit would
    /// start every new commit empty, with no last entry to name its misses against; entries inside are keyed by their
    /// inputs anyway, so a retry of the same commit replays. Saved also when the job failed: only passing stages are kept.
    /// </summary>
    public static CiStep GitLab()
    {
        var step = new CiStep { Name = Name, Uses = "cache" };
        step.With.Add("key", "recipes-stages-$CI_COMMIT_REF_SLUG");
        step.With.Add("fallback_keys", "recipes-stages-$CI_DEFAULT_BRANCH\n");
        step.With.Add("paths", ".recipes-cache\n");
        step.With.Add("when", "always");
        return step;
    }
}
