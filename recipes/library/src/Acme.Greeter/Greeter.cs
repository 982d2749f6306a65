namespace Acme.Greeter;

/// <summary>Greets people.</summary>
public static class Greeter
{
    /// <summary>A greeting for <paramref name="name"/>.</summary>
    public static string Greet(string name) => $"Hello, {name}!";
}
