using Recipes.Deployment.Slots;


namespace Recipes.Deployment;

/// <summary>What runs for an environment, as its target sees it.</summary>
/// <param name="Headline">The target's part of the environment's first Status line, such as where the router listens.</param>
/// <param name="Releases">Each slot's release, with its share of traffic and health.</param>
/// <param name="Lines">Further lines only this target has to tell (such as the router's restarts), shown before the releases.</param>
internal sealed record TargetStatus(string Headline, IReadOnlyList<ReleaseStatus> Releases, IReadOnlyList<string> Lines);

/// <summary>A release as Status shows it, the same for every target.</summary>
/// <param name="Slot">Where it runs in the environment: blue or green.</param>
/// <param name="Id">The artifact's id.</param>
/// <param name="Version">The version.</param>
/// <param name="ShortDigest">The first 12 hex digits of its digest.</param>
/// <param name="State">Whether it runs.</param>
/// <param name="Health">Such as <c>running, 2 restarts</c>.</param>
/// <param name="Where">Such as <c>pid 1234, port 5123</c> or <c>container 3f2a…, port 5123</c>.</param>
/// <param name="TrafficShare">Its share of the traffic in percent, or null when the route sends it none.</param>
/// <param name="Mirrored">Whether it gets copies of requests (a dark launch).</param>
internal sealed record ReleaseStatus(string Slot, string Id, string Version, string ShortDigest, SlotState State, string Health, string Where, int? TrafficShare, bool Mirrored);

/// <summary>An environment as Status shows it: the ledger's view (the deployer's) and the target's.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="Live">The ledger's live row, or null.</param>
/// <param name="LedgerUnreadable">Why the ledger could not be read (then <paramref name="Live"/> is unknown), or null.</param>
/// <param name="Target">What runs, as the target sees it.</param>
internal sealed record DeploymentStatus(DeploymentEnvironment Environment, DeploymentRecord? Live, DeploymentLedgerUnreadableException? LedgerUnreadable, TargetStatus Target);
