using System.Globalization;
using System.Text.RegularExpressions;
using Recipes.Pipeline.Settings;

namespace Recipes.Insight;

/// <summary>How far back <c>--since</c> reaches: <c>90d</c>, <c>12w</c>, <c>36h</c>, or a date such as <c>2026-01-31</c>.</summary>
internal static partial class SinceText
{
    public static readonly TimeSpan Default = TimeSpan.FromDays(90);

    /// <exception cref="RecipeConfigurationException">The text is none of those forms, or not in the past.</exception>
    public static MetricsPeriod Period(string? text, DateTimeOffset now)
    {
        if (text is null)
        {
            return new MetricsPeriod(now - Default, now);
        }

        var match = Amount().Match(text);
        if (match.Success && int.TryParse(match.Groups["amount"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount is > 0 and <= 3660)
        {
            var length = match.Groups["unit"].Value switch
            {
                "d" => TimeSpan.FromDays(amount),
                "w" => TimeSpan.FromDays(7 * amount),
                _ => TimeSpan.FromHours(amount),
            };
            return new MetricsPeriod(now - length, now);
        }

        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) && date < now)
        {
            return new MetricsPeriod(date, now);
        }

        throw new RecipeConfigurationException(
            $"--since is '{text}'; give how far back to look, such as 30d, 12w or 90d, or a past date such as 2026-01-31.");
    }

    [GeneratedRegex("^(?<amount>[0-9]+)(?<unit>[dwh])$", RegexOptions.CultureInvariant)]
    private static partial Regex Amount();
}
