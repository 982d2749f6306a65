namespace Recipes.Deployment;

/// <summary>One deployment or release in the ledger: what went where, when, how, by whom, and how it ended.</summary>
/// <param name="Environment">The environment deployed to.</param>
/// <param name="Artifact">The deployed package id.</param>
/// <param name="Version">The deployed package version.</param>
/// <param name="Digest">The package's SHA-512, as in the artifact manifest.</param>
/// <param name="Commit">The commit the package was built from.</param>
/// <param name="Strategy">The strategy's kind (<c>blue-green</c>, <c>canary</c>, ...).</param>
/// <param name="Kind">What the row records.</param>
/// <param name="Who">The user who started it.</param>
public sealed record DeploymentRecord(
    string Environment,
    string Artifact,
    string Version,
    string Digest,
    string Commit,
    string Strategy,
    DeploymentKind Kind,
    string Who)
{
    /// <summary>The ledger's id for the row; 0 until <see cref="DeploymentLedger.Begin"/> stores it.</summary>
    public long Id { get; init; }

    /// <summary>When it started; <see cref="DeploymentLedger.Begin"/> sets it when left at its default.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>When it ended, or null while it runs.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>How it ended, or <see cref="DeploymentOutcome.Running"/>.</summary>
    public DeploymentOutcome Outcome { get; init; } = DeploymentOutcome.Running;

    /// <summary>What happened, in a few words (the failed check, the aborted canary step), or null.</summary>
    public string? Details { get; init; }
}

/// <summary>What a ledger row records.</summary>
public enum DeploymentKind
{
    /// <summary>A new version put into an environment by its strategy.</summary>
    Deploy,

    /// <summary>Traffic or features released to users of an already deployed version.</summary>
    Release,

    /// <summary>Traffic pointed back at an earlier release.</summary>
    Rollback,

    /// <summary>A version that passed one environment deployed to the next.</summary>
    Promote,

    /// <summary>The contract scripts of the running release applied to the environment's database; no release changes.</summary>
    Contract,
}

/// <summary>How a ledger row ended.</summary>
public enum DeploymentOutcome
{
    /// <summary>Still in progress (or its process died before recording an end).</summary>
    Running,

    /// <summary>Finished; the version serves the environment.</summary>
    Succeeded,

    /// <summary>Finished without serving the version.</summary>
    Failed,

    /// <summary>Succeeded, then undone by a rollback; never a rollback target again.</summary>
    RolledBack,
}
