using Recipes.Ci;
using Recipes.Deployment;
using Recipes.Deployment.Toggles;
using Recipes.Pipeline.Tasks;
using static Recipes.Pipeline.Arguments.ArgumentParsers;

namespace Recipes.Pipeline.Arguments;

/// <summary>
/// Every target argument, declared once, and what each target takes. The one place that says how an argument is
/// named, parsed and checked: the host checks the arguments of the targets a run executes before any task runs
/// (exit code 2, one line), <c>--help</c> lists them, and tasks read typed values from here.
/// </summary>
internal static class TargetArgumentTable
{
    private const string EnvironmentHelp = "The environment, as named in the environments file";

    public static readonly TargetArgument<string> Environment = new("environment", "NAME", EnvironmentHelp, Text);

    public static readonly TargetArgument<string> EnvironmentOrAll = new("environment", "NAME", EnvironmentHelp, Text) { DefaultText = "all of them" };

    public static readonly TargetArgument<string> From = new("from", "NAME", "The environment whose live release is promoted", Text);

    public static readonly TargetArgument<string> To = new("to", "NAME", "The environment it is promoted to", Text);

    public static readonly TargetArgument<string> DeployVersion = new("deploy-version", "SEMVER", "The version to deploy (the setting 'version' is the version to build)", Text)
    {
        DefaultText = "the manifest's",
    };

    public static readonly TargetArgument<string> Manifest = new("manifest", "PATH", "The commit stage's manifest.json that records the package's SHA-512", Text)
    {
        DefaultText = "this run's, else manifest.json in the artifacts folder",
    };

    public static readonly TargetArgument<TimeSpan> LockTimeout = new("lock-timeout", "DURATION", "How long to wait for another deployment to the same environment", Duration)
    {
        Default = TimeSpan.FromMinutes(5),
        DefaultText = "5m",
    };

    public static readonly TargetArgument<bool> Approve = new("approve", "true|false", "Approve a deployment to an environment with 'approval: true' from a laptop", Boolean)
    {
        DefaultText = "false",
    };

    public static readonly TargetArgument<bool> Force = new("force", "true|false", "Deploy a version that a Rollback took out of the environment", Boolean)
    {
        DefaultText = "false",
    };

    public static readonly TargetArgument<TimeSpan?> Watch = new("watch", "DURATION", "Watch the new release for this long instead of the environment's watch duration; 0s skips the watch for this run", text => Duration(text) is (var value, null) ? (value, null) : (null, $"give a duration such as 0s or {DurationText.Examples}"))
    {
        DefaultText = "the environment's watch: duration",
    };

    public static readonly TargetArgument<string> Host = new("host", "ADDRESS", "The host to rebuild, as its address is listed under hosts:", Text) { DefaultText = "every host of the environment" };

    public static readonly TargetArgument<string> Feature = new("feature", "NAME", "A feature the environment declares under 'features:'", Text);

    public static readonly TargetArgument<int?> Percentage = new("percentage", "0-100", "Sticky share of users who see the feature (with --users/--groups: of everyone else)", ArgumentParsers.Percentage);

    public static readonly TargetArgument<bool?> Enabled = new("enabled", "true|false", "Turn the feature on or off for everyone", text => Boolean(text) is (var value, null) ? (value, null) : (null, "give true or false"));

    public static readonly TargetArgument<IReadOnlyList<string>> Users = new("users", "A,B", "Users who see the feature", List);

    public static readonly TargetArgument<IReadOnlyList<TargetedGroup>> Groups = new("groups", "G:P,...", "Groups who see the feature, each with the share of its members (beta:50; a bare name is 100)", ArgumentParsers.Groups);

    public static readonly TargetArgument<int> Limit = new("limit", "N", "How many rows to show, newest first", PositiveWholeNumber) { Default = 20, DefaultText = "20" };

    public static readonly TargetArgument<string> Ci = new("ci", "github|azure|gitlab", "The CI server to write for", OneOf("ci", CiArguments.Servers)) { Default = "github", DefaultText = "github" };

    public static readonly TargetArgument<string> CiOutput = new("ci-output", "PATH", "Where the CI file goes, relative to the repository root", Text) { DefaultText = "the server's own place" };

    public static readonly TargetArgument<string> InsightEnvironment = new("environment", "NAME", EnvironmentHelp, Text)
    {
        DefaultText = "production, else the last one declared",
    };

    public static readonly TargetArgument<string> Since = new("since", "30d|12w|36h|DATE", "How far back the figures reach; the trend compares with the period of the same length before", Text)
    {
        DefaultText = "90d",
    };

    public static readonly TargetArgument<string> Format = new("format", "table|json", "How Metrics prints the four keys (json also goes to artifacts/metrics/ENV.json)", OneOf("format", ["table", "json"]))
    {
        Default = "table",
        DefaultText = "table",
    };

    private static readonly string[] DeploySettings = ["feed", "api-key-variable", "api-key", "artifacts", "environments-file", "state-directory"];
    private static readonly string[] StateSettings = ["environments-file", "state-directory"];
    private static readonly string[] CiSettings = ["artifacts", "api-key-variable", "environments-file", "gitversion-config"];

    /// <summary>Each target that takes arguments, in the order <c>--help</c> lists them.</summary>
    public static readonly IReadOnlyList<TargetArgumentSet> Targets =
    [
        new("Deploy", [Environment, DeployVersion, Manifest, LockTimeout, Approve, Force, Watch], DeploySettings, TargetChecks.Deploy),
        new("Promote", [From, To, LockTimeout, Approve, Force, Watch], DeploySettings, TargetChecks.Promote),
        new("Rollback", [Environment, LockTimeout], DeploySettings, TargetChecks.Rollback),
        new("Status", [EnvironmentOrAll], StateSettings, TargetChecks.EnvironmentOrAll),
        new("Stop", [EnvironmentOrAll, LockTimeout], StateSettings, TargetChecks.EnvironmentOrAll),
        new("Drift", [EnvironmentOrAll], StateSettings, TargetChecks.Drift),
        new("Reprovision", [Environment, Host, LockTimeout], DeploySettings, TargetChecks.Reprovision),
        new("Release", [Environment, Feature, Percentage, Enabled, Users, Groups], StateSettings, TargetChecks.Release),
        new("History", [Environment, Limit], StateSettings, TargetChecks.History),
        new("Contract", [Environment, LockTimeout], DeploySettings, TargetChecks.Database),
        new("Migrations", [Environment], DeploySettings, TargetChecks.Database),
        new("Metrics", [InsightEnvironment, Since, Format], ["artifacts", .. StateSettings], TargetChecks.Insight),
        new("Report", [InsightEnvironment, Since], ["artifacts", .. StateSettings], TargetChecks.Insight),
        new("GenerateCI", [Ci, CiOutput], CiSettings, TargetChecks.Ci),
        new("CheckCI", [Ci, CiOutput], CiSettings, TargetChecks.Ci),
    ];

    /// <summary>What <paramref name="target"/> takes (any case), or null for a target without arguments.</summary>
    public static TargetArgumentSet? For(string target) =>
        Targets.FirstOrDefault(t => string.Equals(t.Target, target, StringComparison.OrdinalIgnoreCase));
}
