using Docker.DotNet;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>
/// Images of Recipes.TestApp for the docker tests: this machine's dotnet host and shared frameworks, the app, and
/// the libraries they link, with <c>AppVersion</c> (and any other setting) baked into the image's environment.
/// </summary>
internal static class TestAppImage
{
    private const string Dotnet = "/usr/share/dotnet";

    /// <summary>Pushes the app as <paramref name="repository"/>:<paramref name="version"/> answering X-App-Version <paramref name="version"/>; returns its digest.</summary>
    public static Task<string> PushAsync(DockerClient client, string repository, string version, params string[] settings)
    {
        var app = typeof(TestAppImage).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "RecipesTestAppDirectory").Value!.TrimEnd('/');
        var libssl = Directory.EnumerateFiles("/usr/lib/x86_64-linux-gnu", "lib*ssl.so.3").Concat(Directory.EnumerateFiles("/usr/lib/x86_64-linux-gnu", "libcrypto.so.3"));
        List<string> changes =
        [
            $"ENV AppVersion={version}",
            "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1",
            .. settings.Select(setting => $"ENV {setting}"),
            $"CMD [\"{Dotnet}/dotnet\", \"/app/Recipes.TestApp.dll\"]",
        ];
        return TinyImage.PushAsync(client, repository, version, [$"{Dotnet}/dotnet", .. libssl], [($"{Dotnet}/host", $"{Dotnet}/host"), ($"{Dotnet}/shared", $"{Dotnet}/shared"), (app, "/app")], changes, version);
    }
}
