using System.ComponentModel;
using System.Diagnostics;

namespace Recipes.Versioning;

/// <summary>
/// Computes the <see cref="BuildVersion"/> of the commit checked out in a repository by running GitVersion 6's
/// command line out of process.
/// </summary>
/// <remarks>
/// <para>
/// When the repository has no GitVersion.yml (or GitVersion.yaml, .GitVersion.yml, .GitVersion.yaml), the recipe's
/// default applies: every commit on every branch gets a unique pre-release version higher than its parent's
/// (<c>1.0.1-ci.3</c> on main, <c>1.0.1-foo.4</c> on <c>feature/foo</c>), and a <c>v1.2.3</c> tag on the commit makes
/// it the release <c>1.2.3</c>. A repository's own configuration is laid over that default: what it sets wins, what it
/// leaves out (the continuous delivery labels on every branch, say) stays.
/// </para>
/// <para>
/// GitVersion comes from the NuGet packages folder (NUGET_PACKAGES, else ~/.nuget/packages), where restoring the
/// Recipes package puts it. It caches its result under .git/gitversion_cache, so a second call for the same commit
/// and configuration is quick. Not a repository, a shallow clone and no commits are reported as
/// <see cref="VersioningException"/> before GitVersion runs.
/// </para>
/// </remarks>
public sealed class GitVersionCalculator
{
    private static readonly TimeSpan GitVersionTimeout = TimeSpan.FromMinutes(2);

    private readonly Action<string> log;
    private readonly IReadOnlyDictionary<string, string?> environment;

    /// <summary>Creates a calculator.</summary>
    /// <param name="log">Receives one line per step (configuration used, version found, GitVersion's output on failure).</param>
    public GitVersionCalculator(Action<string>? log = null)
        : this(log, new Dictionary<string, string?>())
    {
    }

    /// <summary>Creates a calculator whose tools see a changed environment (tests isolate themselves from CI with it).</summary>
    /// <param name="log">Receives one line per step.</param>
    /// <param name="environment">Variables to set for git and GitVersion, or to remove (null value); NUGET_PACKAGES here also moves where GitVersion is looked for.</param>
    internal GitVersionCalculator(Action<string>? log, IReadOnlyDictionary<string, string?> environment)
    {
        this.log = log ?? (_ => { });
        this.environment = environment;
    }

    /// <summary>What a shallow clone's error tells the user to change, for the CI server the build runs on; null for the general advice.</summary>
    internal string? ShallowCloneFix { get; init; }

    /// <summary>Computes the version of HEAD in the repository that contains <paramref name="repositoryDirectory"/>.</summary>
    /// <param name="repositoryDirectory">The repository root or any folder inside its work tree.</param>
    /// <returns>The version; computing it again for the same commit gives the same result.</returns>
    /// <exception cref="VersioningException">The folder is not a full clone with commits, or GitVersion is missing or fails.</exception>
    public BuildVersion Calculate(string repositoryDirectory) => Calculate(repositoryDirectory, configurationFile: null);

    /// <summary>Computes the version of HEAD with a chosen GitVersion configuration.</summary>
    /// <param name="repositoryDirectory">The repository root or any folder inside its work tree.</param>
    /// <param name="configurationFile">
    /// A GitVersion configuration file to use instead of the repository's own, laid over the recipe's default; null for the repository's own.
    /// </param>
    /// <returns>The version; computing it again for the same commit gives the same result.</returns>
    /// <exception cref="VersioningException">The folder is not a full clone with commits, the configuration file is missing, or GitVersion is missing or fails.</exception>
    public BuildVersion Calculate(string repositoryDirectory, string? configurationFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryDirectory);
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryDirectory));
        if (!Directory.Exists(directory))
        {
            throw new VersioningException($"Cannot compute a version for {directory}: the folder does not exist; pass the folder of a git clone.");
        }

        var facts = GitRepositoryCheck.Inspect(directory, environment, log, ShallowCloneFix);
        string? teamConfiguration;
        if (configurationFile is not null)
        {
            teamConfiguration = Path.GetFullPath(configurationFile, directory);
            if (!File.Exists(teamConfiguration))
            {
                throw new VersioningException($"The GitVersion configuration {teamConfiguration} does not exist; fix the gitversion-config setting or remove it.");
            }

            log($"Versioning: using the configuration {teamConfiguration} (gitversion-config), laid over the recipe's defaults.");
        }
        else
        {
            teamConfiguration = DefaultGitVersionConfiguration.FindRepositoryConfiguration(directory, facts.TopLevel);
            log(teamConfiguration is null
                ? $"Versioning: {directory} has no GitVersion configuration; using the recipe's default configuration (a higher pre-release version for every commit)."
                : $"Versioning: using the repository's configuration {teamConfiguration}, laid over the recipe's defaults.");
        }

        var configuration = teamConfiguration is null
            ? DefaultGitVersionConfiguration.Yaml
            : GitVersionConfigurationOverlay.Merge(DefaultGitVersionConfiguration.Yaml, teamConfiguration);
        var gitVersionEnvironment = GitVersionEnvironment();
        var cache = GitVersionResultCache.KeyOf(
            arguments => GitRepositoryCheck.Git(directory, environment, arguments) is var result ? (result.ExitCode, result.Output) : default,
            name => gitVersionEnvironment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name),
            configuration,
            facts.HeadSha);
        if (cache is { } entry && GitVersionResultCache.Find(entry.File, entry.Key) is { } kept)
        {
            log($"Versioning: {kept.SemVer} for {kept.Sha} on {kept.Branch}, as the last run computed it: the same commit, refs, configuration and CI variables ({entry.File}).");
            return kept;
        }

        var gitVersion = GitVersionTool.ExpectedPath(environment);
        if (!File.Exists(gitVersion))
        {
            throw new VersioningException(
                $"GitVersion was not found at {gitVersion}, so no version can be computed for {directory}; run `dotnet restore` on the build project (it downloads {GitVersionTool.PackageId} {GitVersionTool.Version}).");
        }

        // GitVersion reads one file, so the team's settings and the defaults they leave out go into a temporary one;
        // the team's own file is never written.
        var effectiveConfiguration = Path.Combine(Path.GetTempPath(), $"recipes-gitversion-{Guid.NewGuid():N}.yml");
        try
        {
            File.WriteAllText(effectiveConfiguration, configuration);
            var version = RunGitVersion(gitVersion, directory, effectiveConfiguration, facts);
            if (cache is { } computed)
            {
                GitVersionResultCache.Keep(computed.File, computed.Key, version);
            }

            return version;
        }
        finally
        {
            File.Delete(effectiveConfiguration);
        }
    }

    /// <summary>
    /// The environment GitVersion runs with: this calculator's, plus GIT_LOCAL_BRANCH on a Jenkins job that names its
    /// branch only as the remote's (GIT_BRANCH=origin/main, as the Git plugin does outside multibranch pipelines).
    /// GitVersion would take origin/main as the branch and label main's builds <c>origin-main</c>; it prefers
    /// GIT_LOCAL_BRANCH when BRANCH_NAME is not set, so that gets the name without the remote.
    /// </summary>
    internal IReadOnlyDictionary<string, string?> GitVersionEnvironment()
    {
        string? Variable(string name) => environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

        const string RemotePrefix = "origin/";
        var remoteBranch = Variable("GIT_BRANCH");
        if (string.IsNullOrEmpty(Variable("JENKINS_URL"))
            || !string.IsNullOrEmpty(Variable("BRANCH_NAME"))
            || !string.IsNullOrEmpty(Variable("GIT_LOCAL_BRANCH"))
            || remoteBranch is null
            || !remoteBranch.StartsWith(RemotePrefix, StringComparison.Ordinal))
        {
            return environment;
        }

        return new Dictionary<string, string?>(environment) { ["GIT_LOCAL_BRANCH"] = remoteBranch[RemotePrefix.Length..] };
    }

    private BuildVersion RunGitVersion(string gitVersion, string directory, string configuration, GitRepositoryFacts facts)
    {
        // On a CI server GitVersion "normalises" the clone: it makes a local branch for the branch the server's variables
        // name (GITHUB_REF, BUILD_SOURCEBRANCH, CI_COMMIT_REF_NAME, BRANCH_NAME) and checks it out at the same commit,
        // so a detached HEAD gets that branch's version instead of the `detached` label. For some servers
        // (TeamCity among them) it also fetches from origin first, and that fetch fails the build when the agent
        // cannot reach the remote or has no credentials for it outside its own checkout step. The server has already
        // fetched what it builds, so GitVersion never fetches; off CI it does not fetch anyway.
        List<string> arguments = [gitVersion, directory, "/output", "json", "/nofetch", "/config", configuration];

        var clock = Stopwatch.StartNew();
        ToolResult result;
        try
        {
            result = ToolProcess.Run(DotnetHost.Path(), arguments, directory, GitVersionTimeout, GitVersionEnvironment());
        }
        catch (Win32Exception exception)
        {
            throw new VersioningException(
                $"dotnet could not be started to run GitVersion for {directory} ({exception.Message}); install the .NET SDK and make sure dotnet is on PATH.", exception);
        }
        catch (TimeoutException exception)
        {
            throw new VersioningException(
                $"GitVersion did not finish within {GitVersionTimeout.TotalMinutes:0} minutes for {directory}; run `dotnet {gitVersion} {directory} /diag /l console` to see where it stalls.", exception);
        }

        var version = result.ExitCode == 0 ? GitVersionOutput.Parse(result.Output, facts) : null;
        if (version is null)
        {
            log($"Versioning: GitVersion exited with code {result.ExitCode}; its output follows.{Environment.NewLine}{result.Output}{result.Error}");
            throw new VersioningException($"GitVersion could not compute a version for {directory}: {GitVersionOutput.FirstErrorLine(result)}");
        }

        log($"Versioning: {version.SemVer} for {version.Sha} on {version.Branch} ({clock.Elapsed.TotalSeconds:0.00} s).");
        return version;
    }
}
