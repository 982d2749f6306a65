using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using Recipes.Versioning;

namespace Recipes.Insight;

/// <summary>A commit and the time it was committed.</summary>
internal sealed record CommitTime(string Sha, DateTimeOffset Committed);

/// <summary>The commits a deployment brought, or why they could not be read.</summary>
internal sealed record CommitLookup(IReadOnlyList<CommitTime> Commits, string? Problem)
{
    public static CommitLookup Failed(string problem) => new([], problem);
}

/// <summary>Where the commits between two deployed versions come from.</summary>
internal interface ICommitHistory
{
    /// <summary>
    /// The commits reachable from <paramref name="to"/> but not from <paramref name="from"/>; with no
    /// <paramref name="from"/> (an environment's first deployment), <paramref name="to"/> alone.
    /// </summary>
    CommitLookup Between(string? from, string to);
}

/// <summary>
/// The commits of the git repository at a folder. The committer date is used: it is when the change landed on the
/// branch (a rebase or cherry-pick resets it), which is where the lead time to production starts.
/// </summary>
internal sealed partial class GitCommitHistory(string directory) : ICommitHistory
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(30);
    private static readonly Dictionary<string, string?> NoVariables = [];
    private readonly Lazy<string?> _repositoryProblem = new(() => RepositoryProblem(directory));

    public CommitLookup Between(string? from, string to)
    {
        if (_repositoryProblem.Value is { } problem)
        {
            return CommitLookup.Failed(problem);
        }

        foreach (var sha in from is null ? [to] : new[] { from, to })
        {
            if (!Sha().IsMatch(sha))
            {
                return CommitLookup.Failed($"the ledger's commit '{sha}' is not a commit SHA");
            }

            if (Git("cat-file", "-e", sha + "^{commit}").ExitCode != 0)
            {
                return CommitLookup.Failed($"commit {sha[..Math.Min(12, sha.Length)]} is not in the repository at {directory} (a shallow clone, or another repository); fetch the full history there");
            }
        }

        var log = from is null
            ? Git("log", "-1", "--format=%H %ct", to)
            : Git("log", "--format=%H %ct", from + ".." + to);
        if (log.ExitCode != 0)
        {
            return CommitLookup.Failed($"git log in {directory} said: {log.Error.Trim()}");
        }

        var commits = log.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Select(parts => new CommitTime(parts[0], DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture))))
            .ToList();
        return new CommitLookup(commits, null);
    }

    private static string? RepositoryProblem(string directory)
    {
        try
        {
            return ToolProcess.Run("git", ["-C", directory, "rev-parse", "--git-dir"], directory, GitTimeout, NoVariables).ExitCode == 0
                ? null
                : $"{directory} is not a git repository (the ledger has each deployment's commit SHA, but the commits' times come from git); run Metrics in a clone with the full history";
        }
        catch (Exception exception) when (exception is Win32Exception or DirectoryNotFoundException)
        {
            return $"git could not run in {directory} ({exception.Message}); install git, and run Metrics in a clone with the full history";
        }
    }

    private ToolResult Git(params string[] arguments) =>
        ToolProcess.Run("git", ["-C", directory, .. arguments], directory, GitTimeout, NoVariables);

    [GeneratedRegex("^[0-9a-fA-F]{7,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha();
}
