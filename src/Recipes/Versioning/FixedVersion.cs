using System.ComponentModel;
using NuGet.Versioning;

namespace Recipes.Versioning;

/// <summary>
/// The <see cref="BuildVersion"/> of a version the build was told to use (the <c>version</c> setting) instead of one
/// GitVersion computes. GitVersion does not run, so this works in shallow clones and outside git; the commit facts
/// (SHA, branch, date) come from git when it can tell them, and are left empty when it cannot.
/// </summary>
internal static class FixedVersion
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironmentChanges = new Dictionary<string, string?>();

    /// <param name="semVer">A SemVer 2.0 version such as <c>1.4.0</c> or <c>2.0.0-rc.1+build.5</c>.</param>
    /// <param name="repositoryDirectory">The repository root, for the commit facts.</param>
    /// <param name="log">Receives one line that says where the version came from.</param>
    /// <exception cref="VersioningException"><paramref name="semVer"/> is not a SemVer 2.0 version.</exception>
    public static BuildVersion Create(string semVer, string repositoryDirectory, Action<string> log)
    {
        if (!SemanticVersion.TryParse(semVer.Trim(), out var version))
        {
            throw new VersioningException($"'{semVer}' is not a SemVer 2.0 version such as 1.4.0 or 2.0.0-rc.1; fix the version setting.");
        }

        var directory = Path.GetFullPath(repositoryDirectory);
        var sha = Git(directory, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") ?? string.Empty;
        var branch = Git(directory, "symbolic-ref", "--short", "--quiet", "HEAD") ?? "(no branch)";
        var commitDate = sha.Length > 0 ? GitRepositoryCheck.CommitDate(directory, NoEnvironmentChanges, sha) : null;
        var packageVersion = version.ToNormalizedString();
        var metadata = sha.Length == 0 ? string.Empty : $"Sha.{sha}";
        var informational = (version.HasMetadata, metadata.Length > 0) switch
        {
            (true, true) => $"{version.ToFullString()}.{metadata}",
            (false, true) => $"{packageVersion}+{metadata}",
            _ => version.ToFullString(),
        };
        log($"Versioning: {packageVersion} from the version setting; GitVersion was not run.");

        // The same numbers GitVersion gives with the recipe's default (assembly-versioning-scheme: MajorMinor).
        return new BuildVersion(
            SemVer: packageVersion,
            AssemblyVersion: $"{version.Major}.{version.Minor}.0.0",
            FileVersion: $"{version.Major}.{version.Minor}.{version.Patch}.0",
            InformationalVersion: informational,
            Sha: sha,
            Branch: branch,
            IsRelease: !version.IsPrerelease,
            CommitDate: commitDate);
    }

    /// <summary>Git's one-line answer, or null when git is missing, fails, or the folder is not a repository.</summary>
    internal static string? Git(string directory, params string[] arguments)
    {
        try
        {
            var result = ToolProcess.Run("git", ["-C", directory, .. arguments], directory, GitTimeout, NoEnvironmentChanges);
            return result.ExitCode == 0 && result.Output.Trim() is { Length: > 0 } output ? output : null;
        }
        catch (Exception exception) when (exception is Win32Exception or TimeoutException)
        {
            return null;
        }
    }
}
