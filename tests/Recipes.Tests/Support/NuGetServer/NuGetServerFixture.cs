namespace Recipes.Tests.Support.NuGetServer;

/// <summary>One <see cref="LocalNuGetServer"/> for a test class, with its storage and scratch folders in one temp folder.</summary>
public sealed class NuGetServerFixture : IAsyncLifetime
{
    /// <summary>Distinctive, so that "the key does not appear in this text" cannot pass by accident.</summary>
    public const string ApiKey = "rk-7f3a9c1e5b2d4e6f8a0b";

    public string Root { get; } = Directory.CreateTempSubdirectory("recipes-nuget-server-").FullName;

    public LocalNuGetServer Server { get; private set; } = null!;

    /// <summary>A fresh empty folder under <see cref="Root"/>.</summary>
    public string NewDirectory(string purpose) => Directory.CreateDirectory(Path.Combine(Root, $"{purpose}-{Guid.NewGuid():N}")).FullName;

    /// <summary>A package id no other test in the class uses, since they share the server's storage.</summary>
    public static string UniqueId(string stem) => $"Recipes.Probe.{stem}.{Guid.NewGuid().ToString("N")[..8]}";

    public async Task InitializeAsync() => Server = await LocalNuGetServer.StartAsync(Path.Combine(Root, "storage"), ApiKey);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
