using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Recipes.Versioning;

/// <summary>
/// The last version GitVersion computed in a clone, kept in its git folder (<c>.git/recipes-version.json</c>) under a
/// key of everything the version depends on: the commit and the ref HEAD names, every ref (tags and branches, local
/// and remote, which GitVersion counts from), the effective configuration, the variables by which GitVersion tells a
/// CI server and its branch, and the versions of GitVersion and of the recipe. A re-run of the same commit (a second
/// <c>./build.sh</c>, a retry on the same agent) takes the version from there instead of starting GitVersion, which
/// costs a second on a quiet machine and many under load; anything else computes it again.
/// </summary>
internal static class GitVersionResultCache
{
    private const string FileName = "recipes-version.json";

    /// <summary>The variables GitVersion reads to tell a CI server and the branch it builds (its build agents').</summary>
    public static IReadOnlyList<string> Variables { get; } =
        [
            "GITHUB_ACTIONS", "GITHUB_REF", "GITHUB_HEAD_REF", "GITHUB_REF_TYPE", "GITHUB_REF_NAME", "TF_BUILD",
            "BUILD_SOURCEBRANCH", "SYSTEM_PULLREQUEST_SOURCEBRANCH", "APPVEYOR", "APPVEYOR_REPO_BRANCH", "APPVEYOR_REPO_TAG_NAME",
            "GITLAB_CI", "CI_COMMIT_REF_NAME", "CI_COMMIT_TAG", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "JENKINS_URL", "BRANCH_NAME",
            "GIT_BRANCH", "GIT_LOCAL_BRANCH", "TEAMCITY_VERSION", "TRAVIS", "TRAVIS_BRANCH", "TRAVIS_TAG", "BUILDKITE", "BUILDKITE_BRANCH",
            "BITBUCKET_BRANCH", "BITBUCKET_TAG", "BITBUCKET_WORKSPACE", "DRONE", "DRONE_BRANCH", "DRONE_TAG", "CODEBUILD_WEBHOOK_HEAD_REF",
            "CODEBUILD_SOURCE_VERSION", "JB_SPACE_PROJECT_KEY", "JB_SPACE_GIT_BRANCH", "ENVRUN_DATABASE", "CI",
        ];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The recipe's own version: a recipe that reads GitVersion's output otherwise may make another version of the same output.</summary>
    private static readonly string RecipeVersion =
        typeof(GitVersionResultCache).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The key of this run's inputs, and the file the clone's last result is in; null when git cannot list the refs (then nothing is cached).</summary>
    /// <param name="git">Runs git in the clone with the arguments given; returns its exit code and output.</param>
    /// <param name="variable">The value of an environment variable as GitVersion will see it.</param>
    /// <param name="configuration">The effective GitVersion configuration's text.</param>
    /// <param name="headSha">HEAD's commit.</param>
    public static (string Key, string File)? KeyOf(Func<string[], (int ExitCode, string Output)> git, Func<string, string?> variable, string configuration, string headSha)
    {
        // --absolute-git-dir: this work tree's own folder (a linked worktree has one beside the main .git), so two
        // work trees of one clone never share an entry. --symbolic-full-name HEAD: the branch checked out, or HEAD when detached.
        var head = git(["rev-parse", "--absolute-git-dir", "--symbolic-full-name", "HEAD"]);
        var refs = git(["for-each-ref", "--format=%(objectname) %(refname)"]);
        if (head.ExitCode != 0 || refs.ExitCode != 0 || head.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries) is not [var gitDirectory, var headName, ..])
        {
            return null;
        }

        var text = new StringBuilder()
            .AppendLine($"gitversion {GitVersionTool.Version}")
            .AppendLine($"recipe {RecipeVersion}")
            .AppendLine($"head {headSha} {headName.Trim()}")
            .AppendLine("refs").Append(refs.Output)
            .AppendLine("configuration").AppendLine(configuration);
        foreach (var name in Variables)
        {
            text.AppendLine($"{name}={variable(name)}");
        }

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        return (key, Path.Combine(gitDirectory.Trim(), FileName));
    }

    /// <summary>The version kept under <paramref name="key"/>, or null (none kept, another key, or a file that cannot be read).</summary>
    public static BuildVersion? Find(string file, string key)
    {
        try
        {
            return File.Exists(file) && JsonSerializer.Deserialize<Entry>(File.ReadAllText(file)) is { } entry && entry.Key == key ? entry.Version : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Only ever a shortcut: a damaged file means GitVersion runs.
            return null;
        }
    }

    /// <summary>Keeps <paramref name="version"/> under <paramref name="key"/>, replacing the clone's last one; a failure to write costs only the next run's time.</summary>
    public static void Keep(string file, string key, BuildVersion version)
    {
        try
        {
            AtomicFile.WriteAllText(file, JsonSerializer.Serialize(new Entry(key, version), Json));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only git folder: every run computes the version, as before.
        }
    }

    private sealed record Entry(string Key, BuildVersion Version);
}
