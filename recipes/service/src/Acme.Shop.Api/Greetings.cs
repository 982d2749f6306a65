using Microsoft.FeatureManagement;

namespace Acme.Shop.Api;

/// <summary>What the shop says to a visitor; the loud variant is behind a feature toggle.</summary>
public static class Greetings
{
    /// <summary>The feature that turns the loud greeting on.</summary>
    public const string LoudGreeting = nameof(LoudGreeting);

    /// <summary>The greeting for <paramref name="name"/>.</summary>
    public static string For(string name, bool loud) => loud ? $"WELCOME, {name.ToUpperInvariant()}!" : $"Welcome, {name}.";

    /// <summary>
    /// The greeting for <paramref name="name"/>, loud when <paramref name="features"/> says so for the current user: a
    /// percentage release is decided per user id (see <see cref="UserTargeting"/>), so about that share of users
    /// always gets the loud greeting and the rest never does; an anonymous request gets it only when it is on for all.
    /// </summary>
    public static async Task<string> ForAsync(string name, IFeatureManager features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return For(name, await features.IsEnabledAsync(LoudGreeting));
    }
}
