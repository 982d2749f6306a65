using System.Globalization;
using System.Text.RegularExpressions;

namespace Recipes.Deployment;

/// <summary>Durations as people write them in configuration: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>.</summary>
internal static partial class DurationText
{
    public const string Examples = "500ms, 30s, 2m or 1h";

    /// <summary>The duration, or null when <paramref name="text"/> is not a whole number followed by ms, s, m or h.</summary>
    public static TimeSpan? TryParse(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups["amount"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        // An amount this large is a typo; refusing it also keeps TimeSpan from overflowing.
        if (amount > 10_000_000)
        {
            return null;
        }

        return match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromHours(amount),
        };
    }

    /// <summary>The shortest of the forms that <see cref="TryParse"/> reads back to the same value.</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerHour == 0 && duration >= TimeSpan.FromHours(1) ? $"{(long)duration.TotalHours}h"
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 && duration >= TimeSpan.FromMinutes(1) ? $"{(long)duration.TotalMinutes}m"
        : duration.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{(long)duration.TotalSeconds}s"
        : $"{(long)duration.TotalMilliseconds}ms";

    [GeneratedRegex("^(?<amount>[0-9]+)(?<unit>ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
