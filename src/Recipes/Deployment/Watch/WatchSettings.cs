using YamlDotNet.RepresentationModel;

namespace Recipes.Deployment.Watch;

/// <summary>
/// An environment's <c>watch:</c>: how long the deployer keeps reading the router's metrics of a release after it went
/// live, and the limits that roll it back. A limit is judged only once <see cref="MinRequests"/> requests reached the
/// release since the switch, so that 1 error in 2 requests is not a 50% error rate.
/// </summary>
/// <param name="Duration">How long the release is watched after its deployment succeeded.</param>
/// <param name="MaxErrorRate">The highest share of 5xx answers, 0 to 1, over every request since the switch.</param>
/// <param name="MaxP95Ms">The highest p95 latency in milliseconds (the router's, over its last minute), or null for none.</param>
/// <param name="MinRequests">How many requests must have reached the release before a limit is judged.</param>
internal sealed record WatchSettings(TimeSpan Duration, double MaxErrorRate, double? MaxP95Ms, int MinRequests)
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(10);
    public const double DefaultMaxErrorRate = 0.02;
    public const int DefaultMinRequests = 20;

    /// <summary>An hour of p95 would excuse anything; a limit above it is a typo.</summary>
    private const double MaxP95Limit = 3_600_000;

    /// <summary>The watch an environment without <c>watch:</c> gets when a run asks for one with <c>--watch=DURATION</c>.</summary>
    public static WatchSettings Default { get; } = new(DefaultDuration, DefaultMaxErrorRate, null, DefaultMinRequests);

    /// <summary>Reads <c>watch:</c> of one environment, or null when it has none; every problem names file, line and field.</summary>
    /// <exception cref="EnvironmentsFileException">A field is unknown or out of range.</exception>
    public static WatchSettings? Read(YamlFields environment)
    {
        if (environment.Find("watch") is not { } node)
        {
            return null;
        }

        if (node is not YamlMappingNode)
        {
            throw environment.Error(node, "watch", "'watch' must be a mapping, such as { duration: 10m, max-error-rate: 0.02, max-p95-ms: 500 }.");
        }

        var watch = new YamlFields(environment.File, node, environment.Prefix + "watch.", ["duration", "max-error-rate", "max-p95-ms", "min-requests"]);
        return new WatchSettings(
            watch.OptionalDuration("duration") ?? DefaultDuration,
            watch.OptionalNumber("max-error-rate", 0, 1) ?? DefaultMaxErrorRate,
            watch.OptionalNumber("max-p95-ms", 1, MaxP95Limit),
            watch.OptionalInt("min-requests", 1, 1_000_000) ?? DefaultMinRequests);
    }

    /// <summary>The limits in a few words, for the line that starts the watch.</summary>
    public string Limits => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"5xx rate at most {MaxErrorRate:0.###}{(MaxP95Ms is { } p95 ? $", p95 at most {p95:0.#} ms" : string.Empty)}, judged from {MinRequests} requests");
}
