using System.Globalization;
using Recipes.Deployment;
using Recipes.Deployment.Toggles;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Arguments;

/// <summary>How the target arguments' text becomes values: each returns the value, or the phrase that says what to give.</summary>
internal static class ArgumentParsers
{
    public static (string?, string?) Text(string text) => (text, null);

    public static (bool, string?) Boolean(string text) =>
        bool.TryParse(text, out var value) ? (value, null) : (false, "give true or false");

    public static (int, string?) PositiveWholeNumber(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? (value, null)
            : (0, "give a whole number of at least 1");

    /// <summary>0 to 100, with or without a trailing %.</summary>
    public static (int?, string?) Percentage(string text) =>
        int.TryParse(text.TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100
            ? (value, null)
            : (null, "give a whole number from 0 to 100");

    public static (TimeSpan, string?) Duration(string text) =>
        DurationText.TryParse(text) is { } value ? (value, null) : (default, $"give a duration such as {DurationText.Examples}");

    public static (IReadOnlyList<string>?, string?) List(string text) =>
        (text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), null);

    /// <summary>Groups as <c>name:percentage</c>, comma-separated; a bare name means all of its members.</summary>
    public static (IReadOnlyList<TargetedGroup>?, string?) Groups(string text) =>
        ([.. List(text).Item1!.Select(Group)], null);

    /// <summary>One of <paramref name="allowed"/> (any case), lower case; <paramref name="name"/> is the argument's, for the message.</summary>
    public static Func<string, (string?, string?)> OneOf(string name, IEnumerable<string> allowed) => text =>
        allowed.Contains(text, StringComparer.OrdinalIgnoreCase)
            ? (text.ToLowerInvariant(), null)
            : throw new RecipeConfigurationException($"--{name}={text} is not supported; supported: {string.Join(", ", allowed)}.");

    private static TargetedGroup Group(string text)
    {
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (parts[0].Length == 0)
        {
            throw new RecipeConfigurationException($"--groups has '{text}'; give each group as NAME or NAME:PERCENTAGE, such as beta:50.");
        }

        if (parts.Length == 1)
        {
            return new TargetedGroup(parts[0], 100);
        }

        return Percentage(parts[1]) is ({ } share, null)
            ? new TargetedGroup(parts[0], share)
            : throw new RecipeConfigurationException($"--groups has '{text}'; the share after ':' is a whole number from 0 to 100, such as beta:50.");
    }
}
