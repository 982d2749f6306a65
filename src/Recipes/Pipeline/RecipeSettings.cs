using Recipes.Discovery;

namespace Recipes.Pipeline;

/// <summary>
/// What a team can set about its pipeline. Code sets defaults with <c>UseRecipe(r =&gt; ...)</c>; the environment
/// (<c>RECIPES_FEED</c>, ...) overrides code, and the command line (<c>--feed=...</c>) overrides both.
/// </summary>
public sealed class RecipeSettings
{
    /// <summary>The solution to build, relative to the repository root; found when there is exactly one. <c>--solution</c>.</summary>
    public string? Solution { get; set; }

    /// <summary>The build configuration. <c>--configuration</c>.</summary>
    public string Configuration { get; set; } = "Release";

    /// <summary>Folder path or NuGet v3 URL of the feed that receives every artifact. <c>--feed</c>, <c>RECIPES_FEED</c>.</summary>
    public string Feed { get; set; } = DefaultFeed;

    /// <summary>The environment variable that holds the feed's API key; the key itself never goes in code or on the command line.</summary>
    public string FeedApiKeyVariable { get; set; } = "RECIPES_FEED_API_KEY";

    /// <summary>Where a run writes its artifacts, relative to the repository root. <c>--artifacts</c>.</summary>
    public string ArtifactsDirectory { get; set; } = "artifacts";

    /// <summary>Tag the commit <c>v{version}</c> in git after publishing. <c>--tag-commit</c>.</summary>
    public bool TagCommit { get; set; }

    /// <summary>A test filter for the fast stage, for projects that mix fast and slow tests (e.g. <c>Category!=Slow</c>).</summary>
    public string? FastTestFilter { get; set; }

    /// <summary>Changes how a discovered project is classified (library, deployable, fast or slow test).</summary>
    public Func<DiscoveredProject, DiscoveredProject>? Reclassify { get; set; }

    /// <summary>
    /// The feed used when none is set: <c>~/.recipes/feed</c>, a folder feed shared by the repositories of this user,
    /// so one repository's packages restore in another without any server.
    /// </summary>
    public static string DefaultFeed =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".recipes", "feed");
}
