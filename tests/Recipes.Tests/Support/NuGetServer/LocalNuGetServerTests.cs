using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using NuGet.Common;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace Recipes.Tests.Support.NuGetServer;

/// <summary>The server's protocol, spoken by hand and by NuGet.Protocol, without starting any process.</summary>
public sealed class LocalNuGetServerTests : IClassFixture<NuGetServerFixture>, IDisposable
{
    private const int Limit = 30_000;
    private readonly NuGetServerFixture _fixture;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };

    public LocalNuGetServerTests(NuGetServerFixture fixture)
    {
        _fixture = fixture;
        Server.FailNextRequests(0, 200);
    }

    private LocalNuGetServer Server => _fixture.Server;

    public void Dispose() => _client.Dispose();

    [Fact(Timeout = Limit)]
    public async Task The_service_index_lists_the_flat_container_and_the_push_endpoint_on_loopback()
    {
        using var index = JsonDocument.Parse(await _client.GetStringAsync(Server.ServiceIndex));

        Server.ServiceIndex.Host.ShouldBe("127.0.0.1");
        Server.ServiceIndex.AbsolutePath.ShouldBe("/v3/index.json");
        index.RootElement.GetProperty("version").GetString().ShouldBe("3.0.0");
        var resources = index.RootElement.GetProperty("resources").EnumerateArray()
            .ToDictionary(r => r.GetProperty("@type").GetString()!, r => r.GetProperty("@id").GetString());
        resources["PackageBaseAddress/3.0.0"].ShouldBe(new Uri(Server.BaseAddress, "v3-flatcontainer/").AbsoluteUri);
        resources["PackagePublish/2.0.0"].ShouldBe(new Uri(Server.BaseAddress, "api/v2/package").AbsoluteUri);
    }

    [Fact(Timeout = Limit)]
    public async Task A_push_is_201_then_409_and_the_flat_container_serves_versions_nupkg_and_nuspec()
    {
        var id = NuGetServerFixture.UniqueId("Protocol");
        var package = TestPackages.Create(_fixture.NewDirectory("protocol"), id, "1.0.0-Beta.1");
        var lower = id.ToLowerInvariant();

        (await PutAsync(package, NuGetServerFixture.ApiKey)).ShouldBe(HttpStatusCode.Created);
        (await PutAsync(package, NuGetServerFixture.ApiKey)).ShouldBe(HttpStatusCode.Conflict);

        var versions = JsonDocument.Parse(await _client.GetStringAsync(Flat($"{id.ToUpperInvariant()}/index.json")));
        versions.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ShouldBe(["1.0.0-beta.1"]);
        (await _client.GetByteArrayAsync(Flat($"{lower}/1.0.0-beta.1/{lower}.1.0.0-beta.1.nupkg"))).ShouldBe(File.ReadAllBytes(package));
        (await _client.GetStringAsync(Flat($"{lower}/1.0.0-beta.1/{lower}.nuspec"))).ShouldContain($"<id>{id}</id>");
    }

    [Theory(Timeout = Limit)]
    [InlineData(null)]
    [InlineData("not-the-key")]
    public async Task A_push_without_the_right_key_is_401_and_stores_nothing(string? apiKey)
    {
        var id = NuGetServerFixture.UniqueId("Unauthorized");

        (await PutAsync(TestPackages.Create(_fixture.NewDirectory("unauthorized"), id, "1.0.0"), apiKey)).ShouldBe(HttpStatusCode.Unauthorized);

        (await _client.GetAsync(Flat($"{id.ToLowerInvariant()}/index.json"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact(Timeout = Limit)]
    public async Task An_upload_that_is_not_a_package_is_400()
    {
        var garbage = Path.Combine(_fixture.NewDirectory("garbage"), "garbage.nupkg");
        await File.WriteAllTextAsync(garbage, "not a zip");

        (await PutAsync(garbage, NuGetServerFixture.ApiKey)).ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory(Timeout = Limit)]
    [InlineData("recipes.unknown/index.json")]
    [InlineData("recipes.unknown/1.0.0/recipes.unknown.1.0.0.nupkg")]
    [InlineData("..%2F..%2Fetc/1.0.0/passwd")]
    public async Task Unknown_packages_and_odd_paths_are_404(string path)
    {
        (await _client.GetAsync(Flat(path))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact(Timeout = Limit)]
    public async Task NuGet_protocol_lists_and_downloads_what_was_pushed()
    {
        var id = NuGetServerFixture.UniqueId("ReadByNuGet");
        var package = TestPackages.Create(_fixture.NewDirectory("nuget-read"), id, "3.1.0");
        (await PutAsync(package, NuGetServerFixture.ApiKey)).ShouldBe(HttpStatusCode.Created);

        var finder = (await Repository.Factory.GetCoreV3(Server.ServiceIndex.AbsoluteUri).GetResourceAsync<FindPackageByIdResource>()).ShouldNotBeNull();
        using var cache = new SourceCacheContext { NoCache = true };
        var versions = await finder.GetAllVersionsAsync(id, cache, NullLogger.Instance, CancellationToken.None);
        using var copy = new MemoryStream();
        await finder.CopyNupkgToStreamAsync(id, NuGetVersion.Parse("3.1.0"), copy, cache, NullLogger.Instance, CancellationToken.None);

        versions.ShouldBe([NuGetVersion.Parse("3.1.0")]);
        copy.ToArray().ShouldBe(File.ReadAllBytes(package));
    }

    [Fact(Timeout = Limit)]
    public async Task The_request_log_has_method_path_and_status_and_no_header_values()
    {
        var before = Server.RequestLog.Count;
        await PutAsync(TestPackages.Create(_fixture.NewDirectory("logged"), NuGetServerFixture.UniqueId("Logged"), "1.0.0"), NuGetServerFixture.ApiKey);
        await _client.GetAsync(Server.ServiceIndex);

        var lines = Server.RequestLog.Skip(before).ToList();

        lines.ShouldBe(["PUT /api/v2/package 201", "GET /v3/index.json 200"]);
        Server.RequestLog.ShouldAllBe(line => !line.Contains(NuGetServerFixture.ApiKey));
    }

    [Fact(Timeout = Limit)]
    public async Task Injected_failures_answer_exactly_the_next_requests_of_the_chosen_method()
    {
        Server.FailNextRequests(2, 503, "GET");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await _client.GetAsync(Server.ServiceIndex)).StatusCode);
        }

        statuses.ShouldBe([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]);
    }

    private Uri Flat(string path) => new(Server.BaseAddress, "v3-flatcontainer/" + path);

    /// <summary>A push as NuGet sends it: PUT, multipart/form-data with the package as the one file, the key in X-NuGet-ApiKey.</summary>
    private async Task<HttpStatusCode> PutAsync(string nupkg, string? apiKey)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(nupkg));
        file.Headers.ContentType = MediaTypeHeaderValue.Parse("application/octet-stream");
        content.Add(file, "package", "package.nupkg");
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(Server.BaseAddress, "api/v2/package")) { Content = content };
        if (apiKey is not null)
        {
            request.Headers.Add(LocalNuGetServer.ApiKeyHeader, apiKey);
        }

        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }
}
