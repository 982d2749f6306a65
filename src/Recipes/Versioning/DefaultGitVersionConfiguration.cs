namespace Recipes.Versioning;

/// <summary>
/// The recipe's GitVersion configuration: used as is when a repository has none of its own, and the base a repository's
/// own file is laid over (<see cref="GitVersionConfigurationOverlay"/>) when it has one.
/// </summary>
internal static class DefaultGitVersionConfiguration
{
    /// <summary>The names GitVersion 6 looks for, in the folder it runs in and at the repository root.</summary>
    public static readonly IReadOnlyList<string> FileNames = ["GitVersion.yml", "GitVersion.yaml", ".GitVersion.yml", ".GitVersion.yaml"];

    /// <summary>
    /// Every commit on every branch gets its own pre-release version, higher than its parent's, so each CI build can
    /// publish a package. GitVersion 6's own default (GitFlow/v1) gives feature, release and other branches
    /// ManualDeployment, which repeats the same version until someone tags; ContinuousDeployment drops the pre-release
    /// part entirely. ContinuousDelivery counts commits into the pre-release number, so it is set on every branch.
    /// </summary>
    /// <remarks>
    /// GitHubFlow/v1 because most repositories have main plus short-lived branches, not develop. Main is labelled
    /// <c>ci</c> (<c>1.2.1-ci.5</c> reads better than GitHubFlow's bare <c>1.2.1-5</c>); other branches keep their
    /// name as the label. A detached HEAD (a CI checkout of a SHA) would otherwise be labelled <c>-no-branch-</c>.
    /// The assembly version moves only with major and minor versions, so a patch never breaks binding.
    /// </remarks>
    public const string Yaml = """
        # Written by Recipes for one GitVersion run; the repository has no GitVersion.yml of its own.
        workflow: GitHubFlow/v1
        mode: ContinuousDelivery
        assembly-versioning-scheme: MajorMinor
        branches:
          main:
            mode: ContinuousDelivery
            label: ci
          release:
            mode: ContinuousDelivery
          feature:
            mode: ContinuousDelivery
          pull-request:
            mode: ContinuousDelivery
          unknown:
            mode: ContinuousDelivery
          detached:
            regex: ^\(no branch\)$
            mode: ContinuousDelivery
            label: detached
            increment: Inherit
            source-branches: [main, release, feature, pull-request]

        """;

    /// <summary>The repository's own configuration file, or null when it has none.</summary>
    /// <param name="directories">Where GitVersion looks: the folder it runs in, then the repository root.</param>
    public static string? FindRepositoryConfiguration(params string[] directories) =>
        directories
            .SelectMany(directory => FileNames.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
}
