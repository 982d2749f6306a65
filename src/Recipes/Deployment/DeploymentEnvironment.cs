using Recipes.Deployment.Notify;
using Recipes.Deployment.Watch;

namespace Recipes.Deployment;

/// <summary>One environment of the environments file: where an artifact goes, how, and how it is checked.</summary>
/// <param name="Name">The environment's name, unique in the file (<c>dev</c>, <c>staging</c>, <c>production</c>).</param>
/// <param name="Target">Where releases run: a name in the registration table of deployment targets, such as <see cref="LocalTarget"/>.</param>
/// <param name="Artifact">The deployable package id that this environment runs.</param>
/// <param name="Port">The environment's public port on loopback, where its traffic arrives.</param>
/// <param name="Strategy">How a new version replaces the live one.</param>
/// <param name="Health">The check that a started release must pass before it takes traffic.</param>
/// <param name="Smoke">Requests that must answer as expected once a release takes traffic.</param>
/// <param name="Approval">Whether a person must approve a deployment to this environment.</param>
/// <param name="Features">Feature toggles by name.</param>
/// <param name="Config">Configuration values given to the release as environment variables.</param>
/// <param name="Secrets">Secret configuration values, by the environment variable of the deploying process that holds each.</param>
/// <param name="Line">The file line where the environment starts, for messages.</param>
public sealed record DeploymentEnvironment(
    string Name,
    string Target,
    string Artifact,
    int Port,
    DeploymentStrategy Strategy,
    HealthCheck Health,
    IReadOnlyList<SmokeCheck> Smoke,
    bool Approval,
    IReadOnlyDictionary<string, FeatureToggle> Features,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyDictionary<string, SecretReference> Secrets,
    int Line)
{
    /// <summary>The target that runs releases as local processes behind a reverse proxy.</summary>
    public const string LocalTarget = "local";

    /// <summary>What the target read from the environment's own fields of that target (see <see cref="DeploymentTargetRegistration.ReadFields"/>), or null.</summary>
    internal object? TargetSettings { get; init; }

    /// <summary>The environment's <c>watch:</c> after a deployment, or null when it is not watched.</summary>
    internal WatchSettings? Watch { get; init; }

    /// <summary>The environment's <c>notify:</c> webhook, or null when no events are posted.</summary>
    internal NotifySettings? Notify { get; init; }

    /// <summary>The files a drift check leaves out (<c>drift: { ignore: [...] }</c>), logs by default.</summary>
    internal Drift.IgnorePatterns DriftIgnore { get; init; } = Drift.IgnorePatterns.Default;

    /// <summary>The environment's database (<c>database:</c>), whose expand scripts a deployment runs first; null when it declares none.</summary>
    internal Database.DatabaseSettings? Database { get; init; }
}

/// <summary>An HTTP check that a started release is healthy.</summary>
/// <param name="Path">The request path, starting with '/'.</param>
/// <param name="Timeout">How long the release may take to answer as expected, from its start.</param>
/// <param name="ExpectedStatus">The HTTP status code of a healthy answer.</param>
public sealed record HealthCheck(string Path, TimeSpan Timeout, int ExpectedStatus)
{
    /// <summary>The check used when an environment names none: <c>GET /health</c> answering 200 within 10 seconds.</summary>
    public static HealthCheck Default { get; } = new("/health", TimeSpan.FromSeconds(10), 200);
}

/// <summary>A request that must answer as expected once a release takes traffic.</summary>
/// <param name="Path">The request path, starting with '/'.</param>
/// <param name="ExpectedStatus">The expected HTTP status code.</param>
public sealed record SmokeCheck(string Path, int ExpectedStatus);

/// <summary>A feature toggle: on, off, or on for a percentage of requests.</summary>
/// <param name="Enabled">Whether the feature is on (for everyone, or for <see cref="Percentage"/> of users).</param>
/// <param name="Percentage">The share of users, 0 to 100, that see the feature (sticky per user id); null when it is simply on or off.</param>
public sealed record FeatureToggle(bool Enabled, int? Percentage = null);

/// <summary>
/// A secret taken from an environment variable of the deploying process. Secrets are never written in the file,
/// which is committed; only the variable's name is.
/// </summary>
/// <param name="EnvironmentVariable">The variable that holds the secret when the deployment runs.</param>
public sealed record SecretReference(string EnvironmentVariable);
