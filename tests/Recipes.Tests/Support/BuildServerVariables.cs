namespace Recipes.Tests.Support;

/// <summary>
/// The variables by which GitVersion and Cake tell a CI server and the branch it builds: a child build and the tests'
/// git repositories must not see the CI server the suite itself may run on. Its own file, without the test framework,
/// because bench/deploy compiles ProcessRunner too.
/// </summary>
internal static class BuildServerVariables
{
    public static IReadOnlyList<string> Names { get; } =
        [
            "GITHUB_ACTIONS", "GITHUB_REF", "GITHUB_HEAD_REF", "GITHUB_REF_TYPE", "GITHUB_ENV", "TF_BUILD",
            "BUILD_SOURCEBRANCH", "APPVEYOR", "APPVEYOR_REPO_BRANCH", "GITLAB_CI", "CI_COMMIT_REF_NAME", "CI_COMMIT_TAG",
            "JENKINS_URL", "BRANCH_NAME", "GIT_BRANCH", "GIT_LOCAL_BRANCH", "TEAMCITY_VERSION", "TRAVIS", "BUILDKITE",
            "BUILDKITE_BRANCH", "BITBUCKET_BRANCH", "BITBUCKET_WORKSPACE", "DRONE", "DRONE_BRANCH",
            "CODEBUILD_WEBHOOK_HEAD_REF", "CODEBUILD_SOURCE_VERSION", "JB_SPACE_PROJECT_KEY", "JB_SPACE_GIT_BRANCH",
            "ENVRUN_DATABASE",
        ];
}
