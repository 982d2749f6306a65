namespace Acme.Shop.Api;

/// <summary>What the shop says to a visitor; the loud variant is behind a feature toggle.</summary>
public static class Greetings
{
    /// <summary>The greeting for <paramref name="name"/>.</summary>
    public static string For(string name, bool loud) => loud ? $"WELCOME, {name.ToUpperInvariant()}!" : $"Welcome, {name}.";
}
