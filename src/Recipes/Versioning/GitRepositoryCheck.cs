using System.ComponentModel;
using System.Globalization;

namespace Recipes.Versioning;

/// <summary>The facts about a repository that the version needs and that git knows better than GitVersion.</summary>
/// <param name="TopLevel">The root of the work tree.</param>
/// <param name="HeadSha">The full SHA of HEAD.</param>
/// <param name="CommitDate">The committer date of HEAD, with its offset.</param>
internal sealed record GitRepositoryFacts(string TopLevel, string HeadSha, DateTimeOffset? CommitDate);

/// <summary>
/// Asks git, before GitVersion runs, whether the folder can be versioned at all. GitVersion reports these cases as
/// stack traces (or, for a shallow clone, may even succeed with a wrong version), so they are caught here with a
/// message that says what to do.
/// </summary>
internal static class GitRepositoryCheck
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(30);

    /// <param name="directory">A full path to a folder that exists.</param>
    /// <param name="environment">Variables for git (a null value removes one).</param>
    /// <param name="log">Receives git's own words when a check fails.</param>
    /// <param name="shallowCloneFix">What to do about a shallow clone where the build runs (each CI server has its own setting).</param>
    /// <exception cref="VersioningException">The folder is not a versionable clone.</exception>
    public static GitRepositoryFacts Inspect(string directory, IReadOnlyDictionary<string, string?> environment, Action<string> log, string? shallowCloneFix = null)
    {
        var topLevel = Git(directory, environment, "rev-parse", "--show-toplevel");
        if (topLevel.ExitCode != 0)
        {
            log($"Versioning: git rev-parse in {directory} said: {FirstLine(topLevel.Error)}");

            // Git refuses repositories owned by another user (common in CI containers) with advice naming safe.directory.
            if (topLevel.Error.Contains("safe.directory", StringComparison.Ordinal))
            {
                throw new VersioningException(
                    $"Git refuses to read the repository at {directory} because another user owns it; run `git config --global --add safe.directory \"{directory}\"` and build again.");
            }

            throw new VersioningException(
                $"{directory} is not inside a git repository, and the version comes from git history; run `git init` and commit there, or run the build inside a clone.");
        }

        var shallow = Git(directory, environment, "rev-parse", "--is-shallow-repository");
        if (shallow.ExitCode == 0 && shallow.Output.Trim() == "true")
        {
            throw new VersioningException(
                $"The clone at {directory} is shallow, so the version cannot be computed from its history; {shallowCloneFix ?? "run `git fetch --unshallow` there, or on CI check out the full history (GitHub Actions: actions/checkout with `fetch-depth: 0`)"}.");
        }

        // ^{commit} makes an unborn branch (a fresh `git init`) fail here rather than later inside GitVersion.
        var head = Git(directory, environment, "rev-parse", "--verify", "--quiet", "HEAD^{commit}");
        if (head.ExitCode != 0)
        {
            throw new VersioningException(
                $"The git repository at {directory} has no commits yet, and the version comes from git history; commit first, then build again.");
        }

        var sha = head.Output.Trim();
        return new GitRepositoryFacts(topLevel.Output.Trim(), sha, CommitDate(directory, environment, sha));
    }

    // GitVersion's own CommitDate is formatted by the repository's commit-date-format (a bare date by default);
    // git's strict ISO form keeps the time and offset.
    internal static DateTimeOffset? CommitDate(string directory, IReadOnlyDictionary<string, string?> environment, string sha)
    {
        var show = Git(directory, environment, "show", "--no-patch", "--format=%cI", sha);
        return show.ExitCode == 0
            && DateTimeOffset.TryParse(show.Output.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
    }

    internal static ToolResult Git(string directory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        try
        {
            return ToolProcess.Run("git", ["-C", directory, .. arguments], directory, GitTimeout, environment);
        }
        catch (Win32Exception exception)
        {
            throw new VersioningException(
                $"Git could not be started to version {directory} ({exception.Message}); install git and make sure it is on PATH.", exception);
        }
        catch (TimeoutException exception)
        {
            throw new VersioningException(
                $"git {string.Join(' ', arguments)} did not finish within {GitTimeout.TotalSeconds:0} s in {directory}; check that the repository is not locked by another git process.", exception);
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
}
