using Cake.Common.Tools.DotNet;
using Recipes.Ci;
using Recipes.Discovery;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline;

/// <summary>
/// What a team can set about its pipeline. Code sets it with <c>UseRecipe(r =&gt; ...)</c>; <c>recipes.json</c> at the
/// repository root overrides code, <c>RECIPES_*</c> environment variables override the file, and the command line
/// (<c>--feed=...</c>) overrides everything. <c>./build.sh --help</c> lists each setting with its value and source.
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
    public string FeedApiKeyVariable { get; set; } = DefaultFeedApiKeyVariable;

    /// <summary>
    /// The container registry that receives each deployable app's image (<c>127.0.0.1:5000</c>,
    /// <c>registry.example.com/team</c>): host, optional port and optional path under which the repositories go.
    /// When set, Publish pushes an image per deployable. <c>--registry</c>, <c>RECIPES_REGISTRY</c>.
    /// </summary>
    public string? Registry { get; set; }

    /// <summary>The environment variable that holds the registry's credentials (<c>user:password</c> or a token); never printed.</summary>
    public string RegistryCredentialsVariable { get; set; } = DefaultRegistryCredentialsVariable;

    /// <summary>The image the app images are built on (<c>ContainerBaseImage</c>); the SDK's default for the project when null. <c>--container-base-image</c>.</summary>
    public string? ContainerBaseImage { get; set; }

    /// <summary>Where a run writes its artifacts, relative to the repository root. <c>--artifacts</c>.</summary>
    public string ArtifactsDirectory { get; set; } = "artifacts";

    /// <summary>Tag the commit <c>v{version}</c> in git after publishing. <c>--tag-commit</c>.</summary>
    public bool TagCommit { get; set; }

    /// <summary>
    /// Accept a version lower than the project's own VersionPrefix/Version or than a release of the same package
    /// already in the feed, with a warning instead of refusing. <c>--allow-lower-version</c>.
    /// </summary>
    public bool AllowLowerVersion { get; set; }

    /// <summary>A test filter for the fast stage, for projects that mix fast and slow tests (e.g. <c>Category!=Slow</c>).</summary>
    public string? FastTestFilter { get; set; }

    // The test and cache settings are set from recipes.json, RECIPES_* variables or the command line, not from code.

    /// <summary>How many test projects of a stage run at once; the processor count by default. <c>--test-parallelism</c>.</summary>
    internal int TestParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Compile each stage's projects in one compiler server of the stage's own, stopped when the stage ends (false:
    /// each project in a compiler process of its own). <c>--compiler-server</c>.
    /// </summary>
    internal bool CompilerServer { get; set; } = true;

    /// <summary>Whether the stages that compile start a server: the setting, unless msbuild-properties set UseSharedCompilation, which then decides.</summary>
    internal bool UsesCompilerServer => CompilerServer && !MSBuildProperties.Keys.Any(name => string.Equals(name, "UseSharedCompilation", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Run Compile, FastTests and Package in full even when the stage cache holds their outputs for the same inputs.
    /// <c>--no-cache</c>, <c>RECIPES_NO_CACHE=true</c>.
    /// </summary>
    internal bool NoCache { get; set; }

    /// <summary>
    /// Publish deployables ReadyToRun for the building machine's platform; off by default, as bench/startup/ready-to-run.sh
    /// measured no gain for a small app (the shared framework is ReadyToRun already). <c>--ready-to-run</c>.
    /// </summary>
    internal bool ReadyToRun { get; set; }

    /// <summary>
    /// The stage cache's folder; <c>~/.recipes/cache</c> when null, outside every repository so that <c>git clean</c>
    /// keeps it. <c>--cache-directory</c>.
    /// </summary>
    internal string? CacheDirectory { get; set; }

    /// <summary>The stage cache's size limit in megabytes; the oldest entries go first beyond it. <c>--cache-size-limit</c>.</summary>
    internal int CacheSizeLimitMegabytes { get; set; } = DefaultCacheSizeLimitMegabytes;

    /// <summary>The stage cache's size limit unless <see cref="CacheSizeLimitMegabytes"/> says another.</summary>
    internal const int DefaultCacheSizeLimitMegabytes = 2048;

    /// <summary>
    /// MSBuild properties passed to every restore, build, test, pack and publish the recipe runs, as dotnet's
    /// <c>-p:Name=Value</c> (e.g. <c>WarningsNotAsErrors=NU1603</c>). <c>-p:A=1;B=2</c>, <c>--msbuild-properties=A=1;B=2</c>,
    /// <c>RECIPES_MSBUILD_PROPERTIES</c>; each source adds to the ones before, a later value of a name winning.
    /// </summary>
    public IDictionary<string, string> MSBuildProperties { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A SemVer 2.0 version (<c>1.4.0</c>, <c>2.0.0-rc.1</c>) to build instead of the one GitVersion computes; GitVersion
    /// does not run. For rebuilding a release or for clones without history. <c>--version=1.4.0</c>.
    /// </summary>
    public string? VersionOverride { get; set; }

    /// <summary>
    /// A GitVersion configuration file, relative to the repository root, used instead of the repository's
    /// <c>GitVersion.yml</c> or the recipe's default. <c>--gitversion-config</c>.
    /// </summary>
    public string? GitVersionConfig { get; set; }

    /// <summary>
    /// Test projects that run in the slow stage whatever their name or properties say: project-name patterns with
    /// <c>*</c> and <c>?</c> (<c>Acme.*.Smoke</c>). <c>--slow-tests=A,B</c>.
    /// </summary>
    public IList<string> SlowTestProjects { get; set; } = new List<string>();

    /// <summary>Test projects that run in the fast stage whatever their name or properties say; patterns as for <see cref="SlowTestProjects"/>. <c>--fast-tests</c>.</summary>
    public IList<string> FastTestProjects { get; set; } = new List<string>();

    /// <summary>
    /// The file that describes the deployment environments, relative to the repository root. <c>--environments-file</c>.
    /// A path set explicitly must exist.
    /// </summary>
    public string EnvironmentsFile { get; set; } = DefaultEnvironmentsFile;

    /// <summary>
    /// The folder that holds the repository's deployment state, relative to the repository root: the deployment ledger
    /// (<c>ledger.db</c>), releases, routers and each environment's features file. <c>--state-directory</c>. When null,
    /// <c>~/.recipes/state/&lt;repository folder&gt;-&lt;short hash of its full path&gt;</c>, where <c>git clean</c> cannot reach it.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>
    /// Changes how a discovered project is classified (library, deployable, fast or slow test). Code only; it runs
    /// before <see cref="SlowTestProjects"/> and <see cref="FastTestProjects"/> are applied.
    /// </summary>
    public Func<DiscoveredProject, DiscoveredProject>? Reclassify { get; set; }

    /// <summary>
    /// Changes the CI workflow that <c>GenerateCI</c> writes and <c>CheckCI</c> compares, before it is written: add a
    /// team's own steps or jobs, change a runner. Code only, so the committed file always follows the code.
    /// </summary>
    /// <example><c>r.CustomizeWorkflow = w =&gt; w.Jobs["commit-stage"].Steps.Insert(3, new CiStep { Name = "Lint", Run = "npm run lint" });</c></example>
    public Action<CiWorkflow>? CustomizeWorkflow { get; set; }

    /// <summary>
    /// Changes the settings of every dotnet call of type <typeparamref name="TSettings"/> a stage makes, after the
    /// recipe has set its own, so one property, logger or runtime changes without replacing the stage: build
    /// (<c>DotNetBuildSettings</c>, Compile), test (<c>DotNetTestSettings</c>, FastTests and SlowTests, and SlowTests'
    /// <c>DotNetRestoreSettings</c>), pack (<c>DotNetPackSettings</c>) and publish (<c>DotNetPublishSettings</c>, Package).
    /// <c>DotNetSettings</c> reaches them all. Hooks run in the order they were added; code only.
    /// </summary>
    /// <example><c>r.Configure&lt;DotNetPackSettings&gt;(pack =&gt; pack.MSBuildSettings.WithProperty("PackageProjectUrl", "https://acme.example"))</c></example>
    /// <typeparam name="TSettings">The Cake.Common settings type of the calls to change.</typeparam>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>These settings, to add more.</returns>
    public RecipeSettings Configure<TSettings>(Action<TSettings> configure)
        where TSettings : DotNetSettings
    {
        ArgumentNullException.ThrowIfNull(configure);
        ToolHooks.Add<TSettings>((settings, _) => configure(settings));
        return this;
    }

    /// <summary>
    /// As <see cref="Configure{TSettings}(Action{TSettings})"/>, with the call (<see cref="ToolCall.Task"/>,
    /// <see cref="ToolCall.Project"/>), to change one stage's or one project's call only.
    /// </summary>
    /// <example><c>r.Configure&lt;DotNetTestSettings&gt;((test, call) =&gt; { if (call.Task == "SlowTests") test.Blame = true; })</c></example>
    /// <typeparam name="TSettings">The Cake.Common settings type of the calls to change.</typeparam>
    /// <param name="configure">Changes the settings of one call.</param>
    /// <returns>These settings, to add more.</returns>
    public RecipeSettings Configure<TSettings>(Action<TSettings, ToolCall> configure)
        where TSettings : DotNetSettings
    {
        ArgumentNullException.ThrowIfNull(configure);
        ToolHooks.Add(configure);
        return this;
    }

    /// <summary>The hooks <see cref="Configure{TSettings}(Action{TSettings})"/> added, which the stages apply to their calls.</summary>
    internal ToolSettingsHooks ToolHooks { get; private init; } = new();

    /// <summary>
    /// The feed used when none is set: <c>~/.recipes/feed</c>, a folder feed shared by the repositories of this user,
    /// so one repository's packages restore in another without any server.
    /// </summary>
    public static string DefaultFeed =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".recipes", "feed");

    /// <summary>The variable that holds the feed's API key unless <see cref="FeedApiKeyVariable"/> names another.</summary>
    public const string DefaultFeedApiKeyVariable = "RECIPES_FEED_API_KEY";

    /// <summary>The variable that holds the registry's credentials unless <see cref="RegistryCredentialsVariable"/> names another.</summary>
    public const string DefaultRegistryCredentialsVariable = "RECIPES_REGISTRY_CREDENTIALS";

    /// <summary>The environments file used when none is set.</summary>
    public const string DefaultEnvironmentsFile = "environments.yml";

    /// <summary>A copy whose lists can change without changing this one's.</summary>
    internal RecipeSettings Copy() => new()
    {
        Solution = Solution,
        Configuration = Configuration,
        Feed = Feed,
        FeedApiKeyVariable = FeedApiKeyVariable,
        Registry = Registry,
        RegistryCredentialsVariable = RegistryCredentialsVariable,
        ContainerBaseImage = ContainerBaseImage,
        ArtifactsDirectory = ArtifactsDirectory,
        TagCommit = TagCommit,
        AllowLowerVersion = AllowLowerVersion,
        FastTestFilter = FastTestFilter,
        TestParallelism = TestParallelism,
        CompilerServer = CompilerServer,
        NoCache = NoCache,
        ReadyToRun = ReadyToRun,
        CacheDirectory = CacheDirectory,
        CacheSizeLimitMegabytes = CacheSizeLimitMegabytes,
        MSBuildProperties = new Dictionary<string, string>(MSBuildProperties, StringComparer.OrdinalIgnoreCase),
        VersionOverride = VersionOverride,
        GitVersionConfig = GitVersionConfig,
        SlowTestProjects = [.. SlowTestProjects],
        FastTestProjects = [.. FastTestProjects],
        EnvironmentsFile = EnvironmentsFile,
        StateDirectory = StateDirectory,
        Reclassify = Reclassify,
        CustomizeWorkflow = CustomizeWorkflow,
        ToolHooks = ToolHooks.Copy(),
    };
}
