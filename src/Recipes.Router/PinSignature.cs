using System.Security.Cryptography;
using System.Text;

namespace Recipes.Router;

/// <summary>
/// The value of the <see cref="Header"/> header, which sends a request to one named destination of the route:
/// <c>&lt;HMAC-SHA256 of the name, keyed with the router's admin token, in hex&gt;.&lt;name&gt;</c>. Only who can read the
/// token can pin, and a value pins to that one destination only. Compiled into both the router and Recipes, so the
/// two always agree on the format.
/// </summary>
internal static class PinSignature
{
    /// <summary>The request header that pins a request to a destination.</summary>
    public const string Header = "X-Recipes-Pin";

    /// <summary>The header value that pins a request to <paramref name="destination"/> on the router with <paramref name="token"/>.</summary>
    public static string Value(string token, string destination) => Sign(token, destination) + "." + destination;

    /// <summary>The destination that <paramref name="value"/> pins to, or null when it is not signed with <paramref name="token"/>.</summary>
    public static string? Verify(string token, string value)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == value.Length - 1)
        {
            return null;
        }

        var destination = value[(dot + 1)..];
        var expected = Encoding.UTF8.GetBytes(Sign(token, destination));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(value[..dot])) ? destination : null;
    }

    private static string Sign(string token, string destination) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes("pin:" + destination)));
}
