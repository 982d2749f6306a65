using Recipes.Feeds;
using Recipes.Tests.EndToEnd;

namespace Recipes.Tests.Support.NuGetServer;

/// <summary>The real clients, dotnet nuget push and dotnet restore, against <see cref="LocalNuGetServer"/>.</summary>
[Trait("Category", "Slow")]
public sealed class RealNuGetClientTests : IClassFixture<NuGetServerFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly NuGetServerFixture _fixture;

    public RealNuGetClientTests(NuGetServerFixture fixture)
    {
        _fixture = fixture;
        Server.FailNextRequests(0, 200);
    }

    private LocalNuGetServer Server => _fixture.Server;

    [Fact]
    public async Task Dotnet_nuget_push_with_the_key_succeeds_and_the_server_serves_the_package()
    {
        var id = NuGetServerFixture.UniqueId("CliPush");
        var package = TestPackages.Create(_fixture.NewDirectory("cli-push"), id, "1.2.3");

        var result = Dotnet(WriteNuGetConfig(_fixture.NewDirectory("cli-push-cwd")), "nuget", "push", package, "-s", Server.ServiceIndex.AbsoluteUri, "-k", NuGetServerFixture.ApiKey);

        result.ExitCode.ShouldBe(0, result.All);
        Server.RequestLog.ShouldContain("PUT /api/v2/package/ 201");
        var feed = new HttpFeed(Server.ServiceIndex, apiKey: null);
        (await feed.GetSha512Async(id, "1.2.3", CancellationToken.None)).ShouldBe(PackageFiles.Read(package).Sha512);
    }

    [Fact]
    public async Task Dotnet_nuget_push_with_a_wrong_key_fails_with_401()
    {
        var id = NuGetServerFixture.UniqueId("CliWrongKey");
        var package = TestPackages.Create(_fixture.NewDirectory("cli-wrong"), id, "1.0.0");

        var result = Dotnet(WriteNuGetConfig(_fixture.NewDirectory("cli-wrong-cwd")), "nuget", "push", package, "-s", Server.ServiceIndex.AbsoluteUri, "-k", "not-the-key");

        result.ExitCode.ShouldNotBe(0, result.All);
        result.All.ShouldContain("401");
        (await new HttpFeed(Server.ServiceIndex, apiKey: null).GetSha512Async(id, "1.0.0", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Dotnet_restore_gets_a_pushed_package_from_the_server_alone()
    {
        var id = NuGetServerFixture.UniqueId("Restored");
        var package = TestPackages.Create(_fixture.NewDirectory("restore-package"), id, "2.0.0");
        using var timeout = new CancellationTokenSource(Limit);
        await new FeedPublisher(new HttpFeed(Server.ServiceIndex, NuGetServerFixture.ApiKey)).PublishAsync([package], timeout.Token);
        var project = _fixture.NewDirectory("restore-project");
        var packages = Path.Combine(project, "packages");
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{id}" Version="2.0.0" />
              </ItemGroup>
            </Project>
            """);
        WriteNuGetConfig(project);
        var before = Server.RequestLog.Count;

        var result = Dotnet(project, "restore", "--packages", packages);

        result.ExitCode.ShouldBe(0, result.All);
        var lowerId = id.ToLowerInvariant();
        File.Exists(Path.Combine(packages, lowerId, "2.0.0", $"{lowerId}.2.0.0.nupkg")).ShouldBeTrue(result.All);
        var requests = Server.RequestLog.Skip(before).ToList();
        requests.ShouldContain($"GET /v3-flatcontainer/{lowerId}/index.json 200");
        requests.ShouldContain($"GET /v3-flatcontainer/{lowerId}/2.0.0/{lowerId}.2.0.0.nupkg 200");
    }

    /// <summary>
    /// Makes the server the only source for commands run in <paramref name="directory"/>: &lt;clear/&gt; drops every
    /// other one, so a restore that succeeds can only have used it. NuGet refuses plain http unless the source allows it.
    /// </summary>
    private string WriteNuGetConfig(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Server.ServiceIndex}" allowInsecureConnections="true" />
              </packageSources>
            </configuration>
            """);
        return directory;
    }

    /// <summary>Runs dotnet with its caches inside the fixture's folder, so the user's global state is neither used nor changed.</summary>
    private ProcessResult Dotnet(string workingDirectory, params string[] arguments) =>
        ProcessRunner.Run("dotnet", arguments, workingDirectory, Limit, new Dictionary<string, string>
        {
            ["NUGET_HTTP_CACHE_PATH"] = Path.Combine(_fixture.Root, "http-cache"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        });
}
