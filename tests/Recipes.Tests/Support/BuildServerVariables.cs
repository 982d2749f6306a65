namespace Recipes.Tests.Support;

/// <summary>
/// The variables by which GitVersion and Cake tell a CI server and the branch it builds: a child build and the tests'
/// git repositories must not see the CI server the suite itself may run on. Its own file, without the test framework,
/// because bench/deploy compiles ProcessRunner too.
/// </summary>
internal static class BuildServerVariables
{
    /// <summary>GitVersion's own (the ones its result cache keys on), and GitHub's file of variables for later steps.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Recipes.Versioning.GitVersionResultCache.Variables, "GITHUB_ENV"];
}
