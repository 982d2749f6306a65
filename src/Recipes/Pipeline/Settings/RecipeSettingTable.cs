using Recipes.Artifacts.Images;
using Recipes.Feeds;

namespace Recipes.Pipeline.Settings;

/// <summary>
/// Every recipe setting, in the order <c>--help</c> lists them. The one place that says how a setting is named, set,
/// parsed and checked; the resolver, the settings file and the help section all read this table.
/// </summary>
internal static class RecipeSettingTable
{
    /// <summary>What every setting's environment variable starts with.</summary>
    public const string EnvironmentPrefix = "RECIPES_";

    public static readonly IReadOnlyList<RecipeSettingDefinition> All =
    [
        new()
        {
            Name = "feed",
            ValueName = "PATH|URL",
            Description = "Folder, or http(s) URL of a NuGet v3 service index, that receives every artifact",
            Read = s => PackageFeeds.MaskCredentials(s.Feed),
            Assign = (s, text) => s.Feed = SettingChecks.ExpandHome(text),
            Check = c => SettingChecks.Feed(c.Settings.Feed, c.RepositoryRoot),
        },
        .. SecretFromVariable(
            "api-key", "KEY", "the feed's API key", string.Empty,
            s => s.FeedApiKeyVariable, (s, text) => s.FeedApiKeyVariable = text),
        new()
        {
            Name = "solution",
            ValueName = "PATH",
            Description = "Solution to build (.sln, .slnx, or a folder with one); found when the root, or else the folders below it, hold exactly one",
            Read = s => s.Solution,
            Assign = (s, text) => s.Solution = text,
            Check = c => c.Settings.Solution is { Length: > 0 } solution ? SettingChecks.Solution(solution, c.RepositoryRoot) : null,
        },
        new()
        {
            Name = "configuration",
            ValueName = "NAME",
            Description = "Build configuration",
            Read = s => s.Configuration,
            Assign = (s, text) => s.Configuration = text,
            Check = c => SettingChecks.NotEmpty(c.Settings.Configuration, "a build configuration such as Release"),
        },
        new()
        {
            Name = "artifacts",
            ValueName = "PATH",
            Description = "Folder where a run writes its artifacts, relative to the repository root",
            Read = s => s.ArtifactsDirectory,
            Assign = (s, text) => s.ArtifactsDirectory = text,
            Check = c => SettingChecks.Folder(c.Settings.ArtifactsDirectory, c.RepositoryRoot),
        },
        Boolean("tag-commit", "Tag the commit v{version} in git after publishing", s => s.TagCommit, (s, value) => s.TagCommit = value),
        Boolean("allow-lower-version", "Build and publish a version lower than the project's VersionPrefix or a release in the feed, with a warning", s => s.AllowLowerVersion, (s, value) => s.AllowLowerVersion = value),
        new()
        {
            Name = "fast-test-filter",
            ValueName = "FILTER",
            Description = "dotnet test filter for the fast stage, for projects that mix fast and slow tests",
            Read = s => s.FastTestFilter,
            Assign = (s, text) => s.FastTestFilter = text,
        },
        new()
        {
            Name = MSBuildPropertiesText.SettingName,
            ValueName = "A=1;B=2",
            Description = "MSBuild properties for every restore, build, test, pack and publish; also -p:Name=Value as dotnet takes it",
            Read = s => MSBuildPropertiesText.Format(s.MSBuildProperties),
            Assign = (s, text) => MSBuildPropertiesText.AddTo(s.MSBuildProperties, text),
        },
        new()
        {
            Name = "version",
            ValueName = "SEMVER",
            Description = "Version to build instead of GitVersion's (GitVersion then does not run)",
            Read = s => s.VersionOverride,
            Assign = (s, text) => s.VersionOverride = text,
            Check = c => c.Settings.VersionOverride is { Length: > 0 } version ? SettingChecks.SemVer(version) : null,
        },
        new()
        {
            Name = "gitversion-config",
            ValueName = "PATH",
            Description = "GitVersion configuration to use instead of the repository's GitVersion.yml, laid over the recipe's default",
            Read = s => s.GitVersionConfig,
            Assign = (s, text) => s.GitVersionConfig = text,
            Check = c => c.Settings.GitVersionConfig is { Length: > 0 } config ? SettingChecks.File(config, c.RepositoryRoot) : null,
        },
        new()
        {
            Name = "slow-tests",
            ValueName = "PATTERNS",
            Kind = SettingValueKind.List,
            Description = "Test projects (name patterns with * and ?, comma-separated) that run in the slow stage",
            Read = s => SettingChecks.JoinList(s.SlowTestProjects),
            Assign = (s, text) => s.SlowTestProjects = SettingChecks.SplitList(text),
        },
        new()
        {
            Name = "fast-tests",
            ValueName = "PATTERNS",
            Kind = SettingValueKind.List,
            Description = "Test projects (name patterns with * and ?, comma-separated) that run in the fast stage",
            Read = s => SettingChecks.JoinList(s.FastTestProjects),
            Assign = (s, text) => s.FastTestProjects = SettingChecks.SplitList(text),
        },
        new()
        {
            Name = "environments-file",
            ValueName = "PATH",
            Description = "File that describes the deployment environments; must exist when set",
            Read = s => s.EnvironmentsFile,
            Assign = (s, text) => s.EnvironmentsFile = text,

            // The default names a file that a repository without deployments does not have; only a chosen one must exist.
            Check = c => c.Source.Origin == RecipeSettingOrigin.Default ? null : SettingChecks.File(c.Settings.EnvironmentsFile, c.RepositoryRoot),
        },
        new()
        {
            Name = "state-directory",
            ValueName = "PATH",
            Description = "Folder of the deployment state (ledger.db, releases, routers, <environment>/features.json), relative to the repository root",
            Read = s => s.StateDirectory,
            Assign = (s, text) => s.StateDirectory = text,
            Check = c => c.Settings.StateDirectory is { } folder ? SettingChecks.Folder(folder, c.RepositoryRoot) : null,
            DescribeDefault = StateLocation.DescribeDefault,
        },
        new()
        {
            Name = "registry",
            ValueName = "HOST[:PORT][/PATH]",
            Description = "Container registry that receives an image of each deployable app (pushed by Publish)",
            Read = s => s.Registry,
            Assign = (s, text) => s.Registry = text.Trim(),
            Check = c => c.Settings.Registry is { } registry ? ImageReferences.CheckRegistry(registry) : null,
        },
        .. SecretFromVariable(
            "registry-credentials", "USER:PASSWORD|TOKEN", "the registry's credentials", " (user:password, or a token)",
            s => s.RegistryCredentialsVariable, (s, text) => s.RegistryCredentialsVariable = text),
        new()
        {
            Name = "container-base-image",
            ValueName = "IMAGE",
            Description = "Image the app images are built on (registry/repository:tag or @sha256:...); the SDK's default when unset",
            Read = s => s.ContainerBaseImage,
            Assign = (s, text) => s.ContainerBaseImage = text.Trim(),
            Check = c => c.Settings.ContainerBaseImage is { } image ? ImageReferences.CheckImage(image) : null,
        },
        new()
        {
            Name = "test-parallelism",
            ValueName = "COUNT",
            Description = "How many test projects of a stage run at once (each one's output is printed whole when it ends)",
            Read = s => s.TestParallelism.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Assign = (s, text) => s.TestParallelism = SettingChecks.ParsePositive(text),
            DescribeDefault = (_, _) => $"{Environment.ProcessorCount} (the processor count)",
        },
        Boolean("compiler-server", "Compile a stage's projects in one compiler server of its own, stopped when the stage ends (false: a compiler process per project)", s => s.CompilerServer, (s, value) => s.CompilerServer = value),
        Boolean("ready-to-run", "Publish deployable apps ReadyToRun for this machine's platform (elsewhere they run as without it)", s => s.ReadyToRun, (s, value) => s.ReadyToRun = value),
        Boolean("no-cache", "Run Compile, FastTests and Package in full instead of replaying them from the stage cache", s => s.NoCache, (s, value) => s.NoCache = value),
        new()
        {
            Name = "cache-directory",
            ValueName = "PATH",
            Description = "Folder of the stage cache, outside the repository (or inside it in a dot-folder, as GitLab CI needs)",
            Read = s => s.CacheDirectory,
            Assign = (s, text) => s.CacheDirectory = SettingChecks.ExpandHome(text),
            Check = c => c.Settings.CacheDirectory is { Length: > 0 } folder ? SettingChecks.CacheFolder(folder, c.RepositoryRoot) : null,
            DescribeDefault = Caching.StageCacheFolder.DescribeDefault,
        },
        new()
        {
            Name = "cache-size-limit",
            ValueName = "MEGABYTES",
            Description = "Size the stage cache may reach; beyond it the oldest entries are removed",
            Read = s => s.CacheSizeLimitMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Assign = (s, text) => s.CacheSizeLimitMegabytes = SettingChecks.ParsePositive(text),
        },
    ];

    /// <summary>The settings that code, the file, the environment and the command line may set (all but secrets).</summary>
    public static IEnumerable<RecipeSettingDefinition> Settable => All.Where(d => d.Assign is not null);

    /// <summary>The setting named <paramref name="name"/> (any case), or null.</summary>
    public static RecipeSettingDefinition? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A true|false setting: read and written as "true" or "false".</summary>
    private static RecipeSettingDefinition Boolean(string name, string description, Func<RecipeSettings, bool> read, Action<RecipeSettings, bool> assign) => new()
    {
        Name = name,
        ValueName = "true|false",
        Kind = SettingValueKind.Boolean,
        Description = description,
        Read = s => read(s) ? "true" : "false",
        Assign = (s, text) => assign(s, SettingChecks.ParseBoolean(text)),
    };

    /// <summary>
    /// The two rows of a secret: <c>NAME-variable</c>, the setting that names the environment variable holding it, and
    /// <c>NAME</c>, the secret itself, read only from that variable and never printed.
    /// </summary>
    /// <param name="name">The secret's setting name.</param>
    /// <param name="valueName">What the secret looks like, for usage lines.</param>
    /// <param name="what">What it is, as a phrase: "the feed's API key".</param>
    /// <param name="shape">Said after "holds {what}" of the variable row; empty when nothing needs saying.</param>
    /// <param name="variable">Reads the variable's name from the settings.</param>
    /// <param name="assign">Sets the variable's name.</param>
    private static RecipeSettingDefinition[] SecretFromVariable(
        string name, string valueName, string what, string shape, Func<RecipeSettings, string> variable, Action<RecipeSettings, string> assign) =>
    [
        new()
        {
            Name = $"{name}-variable",
            ValueName = "NAME",
            Description = $"Environment variable that holds {what}{shape}",
            Read = variable,
            Assign = assign,
            Check = c => SettingChecks.VariableName(variable(c.Settings)),
        },
        new()
        {
            Name = name,
            ValueName = valueName,
            Description = $"{char.ToUpperInvariant(what[0])}{what[1..]}, read only from the variable {name}-variable names; never printed",
            Read = _ => null,
            SecretVariable = variable,
        },
    ];
}
