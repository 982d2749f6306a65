using System.Text.Json.Serialization;
using Recipes.Deployment.Watch;

namespace Recipes.Deployment.Notify;

/// <summary>What a webhook receives, as JSON: one event of one deployment (see "Notifications" in the README).</summary>
/// <param name="Event">deploy-started, deploy-succeeded, deploy-failed, rolled-back or watch-alert.</param>
/// <param name="Environment">The environment.</param>
/// <param name="Artifact">The deployed package id.</param>
/// <param name="Version">The version the event is about (for rolled-back: the one that serves again).</param>
/// <param name="Digest">That version's digest.</param>
/// <param name="Reason">Why it failed or was rolled back, or null.</param>
/// <param name="Figures">The watch's figures behind an alert or an automatic rollback, or null.</param>
/// <param name="Time">When it happened, UTC.</param>
internal sealed record DeploymentEvent(
    string Event,
    string Environment,
    string Artifact,
    string Version,
    string Digest,
    string? Reason,
    EventFigures? Figures,
    DateTimeOffset Time)
{
    public const string Started = "deploy-started";
    public const string Succeeded = "deploy-succeeded";
    public const string Failed = "deploy-failed";
    public const string RolledBack = "rolled-back";
    public const string WatchAlert = "watch-alert";

    /// <summary>The ledger row the event is about, or null before it exists.</summary>
    [JsonPropertyName("ledgerId")]
    public long? LedgerId { get; init; }
}

/// <summary>The watch's figures in an event.</summary>
/// <param name="Requests">Requests that reached the release since the switch.</param>
/// <param name="ServerErrors">Those answered with a 5xx status.</param>
/// <param name="ErrorRate">Their share, 0 to 1.</param>
/// <param name="P95Ms">The p95 latency in milliseconds, or null.</param>
/// <param name="Seconds">Seconds since the deployment succeeded.</param>
internal sealed record EventFigures(long Requests, long ServerErrors, double ErrorRate, double? P95Ms, double Seconds)
{
    public static EventFigures From(WatchFigures figures) =>
        new(figures.Requests, figures.ServerErrors, Math.Round(figures.ErrorRate, 4), figures.P95Ms, Math.Round(figures.Elapsed.TotalSeconds, 1));
}
