using Cake.Core;
using Cake.Core.Diagnostics;
using Recipes.Artifacts;
using Recipes.Deployment;
using Recipes.Discovery;
using Recipes.Feeds;
using Recipes.Hosting;
using Recipes.Hosting.Internal;
using Recipes.Pipeline.Settings;
using Recipes.Testing;
using Recipes.Versioning;

namespace Recipes.Pipeline;

/// <summary>
/// What the pipeline's stages share: settings, the version computed once, the discovered projects, the artifacts
/// and test results. Derive from it to carry a team's own state.
/// </summary>
public class RecipeContext : FrostingContext
{
    private readonly Lazy<string> _solution;
    private readonly Lazy<IReadOnlyList<DiscoveredProject>> _projects;
    private readonly Lazy<string> _stateDirectory;
    private readonly EnvironmentVariables _environment;
    private readonly Lazy<Caching.StageCache?> _stageCache;
    private BuildVersion? _version;

    /// <summary>
    /// Creates the context from Cake's context, the settings given in code, and the run's summary. The settings in
    /// force (code, recipes.json, environment, command line) are worked out and checked here, before any task runs.
    /// </summary>
    /// <exception cref="RecipeConfigurationException">A setting is wrong; the build exits with code 2.</exception>
    public RecipeContext(ICakeContext context, RecipeSettings settings, RunSummary summary) : base(context)
    {
        Summary = summary;
        RepositoryRoot = context.Environment.WorkingDirectory.FullPath;
        _environment = EnvironmentVariables.Behind(context.Arguments);
        var resolved = RecipeSettingsResolver.Resolve(settings, RepositoryRoot, context.Arguments);
        Settings = resolved.Settings;
        SettingSources = resolved.Sources;
        Artifacts = new ArtifactLayout(Path.Combine(RepositoryRoot, Settings.ArtifactsDirectory));
        summary.RecordPath = Path.Combine(Artifacts.Root, Insight.RunRecord.FileName);
        MaskFeedSecrets(context.Log);
        _solution = LocateSolution(context.Log);
        _stateDirectory = new(() => StateLocation.Resolve(Settings.StateDirectory, RepositoryRoot, _environment));
        var cacheFolder = Caching.StageCacheFolder.Resolve(Settings.CacheDirectory, RepositoryRoot, _environment);
        CacheInputs = new Caching.RunInputs(RepositoryRoot, [Artifacts.Root, _environment.Get("NUGET_PACKAGES"), cacheFolder]);
        _stageCache = new(() => Settings.NoCache || cacheFolder is not { } cacheRoot
            ? null
            : new Caching.StageCache(cacheRoot, RepositoryRoot, Settings.CacheSizeLimitMegabytes * 1024L * 1024L, message => Log.Information("{0}", message)));
        _projects = new(() => new ProjectDiscovery(message => Log.Verbose("{0}", message))
            .Discover(Solution, TestStageOverrides.Reclassify(Settings)));
    }

    /// <summary>
    /// Looks for the solution before any task runs when none is configured: several found is a configuration error, and
    /// one found below the root is named, so that nobody wonders which solution was built.
    /// </summary>
    private Lazy<string> LocateSolution(ICakeLog log)
    {
        if (Settings.Solution is { Length: > 0 } || !Directory.Exists(RepositoryRoot))
        {
            return new(() => SolutionLocator.Find(RepositoryRoot, Settings.Solution));
        }

        var search = SolutionLocator.Search(RepositoryRoot);
        if (search.Found.Count > 1)
        {
            throw new RecipeConfigurationException(SolutionLocator.Several(RepositoryRoot, search));
        }

        if (search.Found.Count == 1 && search.BelowRoot)
        {
            log.Information(
                "Building {0}, the only solution below the repository root; {1} to build another.",
                Path.GetRelativePath(RepositoryRoot, search.Found[0]),
                SolutionLocator.SettingHint);
        }

        // None found: reported by the first task that needs the solution, as a repository that only deploys has none.
        return search.Found.Count == 1 ? new(search.Found[0]) : new(() => SolutionLocator.Find(RepositoryRoot, configured: null));
    }

    /// <summary>Facts shown under the summary table: version, artifacts, test counts.</summary>
    public RunSummary Summary { get; }

    /// <summary>The settings in force: code, then recipes.json, then RECIPES_* environment variables, then the command line.</summary>
    public RecipeSettings Settings { get; }

    /// <summary>Where each setting's value came from, by setting name (<c>feed</c>, <c>tag-commit</c>, ...).</summary>
    public IReadOnlyDictionary<string, RecipeSettingSource> SettingSources { get; }

    /// <summary>The repository's root folder, where the build runs.</summary>
    public string RepositoryRoot { get; }

    /// <summary>Where this run writes what it produces.</summary>
    public ArtifactLayout Artifacts { get; }

    /// <summary>The stage cache of this repository; null with no-cache, or with no cache folder (no HOME, no cache-directory).</summary>
    internal Caching.StageCache? StageCache => _stageCache.Value;

    /// <summary>The inputs the cached stages share (file hashes, SDK), worked out once per run.</summary>
    internal Caching.RunInputs CacheInputs { get; }

    /// <summary>The solution the pipeline builds.</summary>
    public string Solution => _solution.Value;

    /// <summary>The solution's projects, classified.</summary>
    public IReadOnlyList<DiscoveredProject> Projects => _projects.Value;

    /// <summary>Test counts of this run, by stage.</summary>
    public TestRunSummary TestResults { get; } = new();

    /// <summary>True once the Version stage has run (or a version was set).</summary>
    public bool HasVersion => _version is not null;

    /// <summary>The version of this commit, computed once by the Version stage.</summary>
    public BuildVersion Version
    {
        get => _version ?? throw new RecipeException("The version is not known yet: the Version task has not run. Make your task depend on it with [IsDependentOn(typeof(Version))].");
        set => _version = value;
    }

    /// <summary>Whether the Package stage is one of this run's tasks (set before the first task runs).</summary>
    internal bool RunPackages { get; set; }

    /// <summary>Package's packing started beside the fast tests, until the Package stage takes it or a test failure discards it.</summary>
    internal Tasks.PackingBesideTests? PackingBesideTests { get; set; }

    /// <summary>The artifacts of this run, once the Package stage has written them.</summary>
    public ArtifactManifest? Manifest { get; set; }

    /// <summary>
    /// Starts discovering the projects in the background (MSBuild evaluation takes about half a second), so that
    /// it overlaps with work such as the compile that does not need it.
    /// </summary>
    public void DiscoverProjectsInBackground() =>
        _ = System.Threading.Tasks.Task.Run(() =>
        {
            try
            {
                _ = _projects.Value;
            }
            catch (Exception)
            {
                // Reported where the projects are first needed, by the Lazy that rethrows it there.
            }
        });

    /// <summary>The projects of one kind.</summary>
    public IEnumerable<DiscoveredProject> ProjectsOf(ProjectKind kind) => Projects.Where(p => p.Kind == kind);

    /// <summary>The test projects of one stage.</summary>
    public IEnumerable<DiscoveredProject> TestProjects(TestStage stage) =>
        Projects.Where(p => p.Kind == ProjectKind.Test && p.Stage == stage);

    /// <summary>
    /// Has the host's log mask the feed's API key and any credentials in its URL, whatever prints them (an exception
    /// echoing a feed's answer, a command line at diagnostic verbosity).
    /// </summary>
    private void MaskFeedSecrets(ICakeLog log)
    {
        if (log is HostLog hostLog)
        {
            var feedUrl = PackageFeeds.LooksLikeUrl(Settings.Feed) && Uri.TryCreate(Settings.Feed.Trim(), UriKind.Absolute, out var url) ? url : null;
            hostLog.Mask([_environment.Get(Settings.FeedApiKeyVariable), .. RegistryCredentialParts(), .. feedUrl is null ? [] : SecretRedactor.SecretsIn(feedUrl)]);
        }
    }

    /// <summary>The registry's credentials (<c>user:password</c> or a token) from the variable registry-credentials-variable names; null when unset.</summary>
    internal string? RegistryCredentials => _environment.Get(Settings.RegistryCredentialsVariable) is { Length: > 0 } value ? value : null;

    /// <summary>The credentials whole and their password part, so that neither is printed when a tool echoes one of them.</summary>
    private IEnumerable<string?> RegistryCredentialParts() =>
        RegistryCredentials is { } credentials ? [credentials, credentials.Contains(':', StringComparison.Ordinal) ? credentials[(credentials.IndexOf(':', StringComparison.Ordinal) + 1)..] : null] : [];

    /// <summary>Opens the configured feed, with the API key from its environment variable.</summary>
    public IPackageFeed OpenFeed() =>
        PackageFeeds.Open(Settings.Feed, _environment.Get(Settings.FeedApiKeyVariable), message => Log.Information("{0}", message));

    /// <summary>
    /// The deployment state folder as a full path: the <c>state-directory</c> setting, else
    /// <c>~/.recipes/state/&lt;repository&gt;-&lt;hash of its path&gt;</c>, outside the working tree.
    /// </summary>
    /// <exception cref="RecipeConfigurationException">There is no usable default folder, or old state waits in the repository; the build exits with code 2.</exception>
    public string StateDirectory => _stateDirectory.Value;

    /// <summary>Reads and checks the environments file (the <c>environments-file</c> setting).</summary>
    /// <exception cref="RecipeConfigurationException">The file is missing or describes the environments wrongly; the build exits with code 2.</exception>
    public EnvironmentsDefinition LoadEnvironments()
    {
        var named = Settings.EnvironmentsFile;
        var path = Path.GetFullPath(named, RepositoryRoot);
        if (!File.Exists(path))
        {
            throw new RecipeConfigurationException(
                $"There is no environments file {path}; create {RecipeSettings.DefaultEnvironmentsFile} at the repository root (see Environments in the README) or set environments-file to its path.");
        }

        try
        {
            return EnvironmentsFile.Parse(named, File.ReadAllText(path));
        }
        catch (EnvironmentsFileException exception)
        {
            throw new RecipeConfigurationException(exception.Message, exception);
        }
    }

    /// <summary>Opens the deployment ledger, <c>ledger.db</c> in the state folder, creating it when missing.</summary>
    public DeploymentLedger OpenLedger() => DeploymentLedger.Open(Path.Combine(StateDirectory, LedgerFileName));

    /// <summary>The ledger's file name in the state folder.</summary>
    internal const string LedgerFileName = DeploymentLedger.FileName;

    /// <summary>The manifest of this run, or the one an earlier stage (maybe another CI job) left in the artifacts folder.</summary>
    public ArtifactManifest ReadManifest()
    {
        if (Manifest is not null)
        {
            return Manifest;
        }

        if (!File.Exists(Artifacts.Manifest))
        {
            throw new RecipeException($"There is no {Artifacts.Manifest}: run the commit stage first (./build.sh --target=CommitStage), or copy its artifacts folder here.");
        }

        return Manifest = ArtifactManifest.Read(Artifacts.Manifest);
    }
}
