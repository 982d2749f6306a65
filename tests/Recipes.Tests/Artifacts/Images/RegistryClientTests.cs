using System.Net;
using System.Net.Sockets;
using System.Text;
using Recipes.Artifacts.Images;

namespace Recipes.Tests.Artifacts.Images;

/// <summary>The registry API calls around a push, against a fake registry: digests, labels, credentials, an unreachable registry.</summary>
public sealed class RegistryClientTests
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string ConfigDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public async Task The_digest_of_a_tag_is_the_registry_s_Docker_Content_Digest_asked_for_with_the_manifest_types()
    {
        var registry = new FakeRegistry();
        registry.Respond("HEAD", "/v2/team/shop/manifests/1.2.0", _ => Answer(HttpStatusCode.OK, "", digest: Digest));
        using var client = new RegistryClient("127.0.0.1:5000/team", null, null, registry);

        var digest = await client.DigestAsync("team/shop", "1.2.0", CancellationToken.None);

        digest.ShouldBe(Digest);
        var accept = registry.Requests.Single().Headers.Accept.Select(a => a.MediaType).ToList();
        accept.ShouldContain("application/vnd.oci.image.manifest.v1+json");
        accept.ShouldContain("application/vnd.docker.distribution.manifest.v2+json");
        client.BaseAddress.ShouldBe(new Uri("http://127.0.0.1:5000/v2/"), "a loopback registry speaks plain HTTP");
    }

    [Fact]
    public async Task A_tag_the_registry_does_not_have_has_no_digest()
    {
        var registry = new FakeRegistry();
        using var client = new RegistryClient("127.0.0.1:5000", null, null, registry);

        (await client.DigestAsync("shop", "9.9.9", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task The_labels_are_read_from_the_configuration_the_manifest_names()
    {
        var registry = new FakeRegistry();
        registry.Respond("GET", $"/v2/shop/manifests/{Digest}", _ => Answer(HttpStatusCode.OK, $$"""{ "schemaVersion": 2, "config": { "digest": "{{ConfigDigest}}" }, "layers": [] }"""));
        registry.Respond("GET", $"/v2/shop/blobs/{ConfigDigest}", _ => Answer(HttpStatusCode.OK, """{ "config": { "Labels": { "org.opencontainers.image.version": "1.2.0+sha512.ab" } } }"""));
        using var client = new RegistryClient("127.0.0.1:5000", null, null, registry);

        var labels = await client.LabelsAsync("shop", Digest, CancellationToken.None);

        labels["org.opencontainers.image.version"].ShouldBe("1.2.0+sha512.ab");
    }

    [Fact]
    public async Task User_and_password_go_as_basic_and_a_bearer_challenge_is_answered_with_the_token_service_s_token()
    {
        var registry = new FakeRegistry();
        registry.Respond("GET", "/v2/", request => request.Headers.Authorization?.Scheme == "Bearer" && request.Headers.Authorization.Parameter == "t0ken"
            ? Answer(HttpStatusCode.OK, "{}")
            : Answer(HttpStatusCode.Unauthorized, "", challenge: "Bearer realm=\"https://auth.example/token\",service=\"registry.example.com\""));
        registry.Respond("GET", "/token", request => request.Headers.Authorization?.Parameter == Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:s3cret"))
            ? Answer(HttpStatusCode.OK, """{ "token": "t0ken" }""")
            : Answer(HttpStatusCode.Unauthorized, ""));
        using var client = new RegistryClient("registry.example.com/team", "ci:s3cret", null, registry);

        await client.CheckReachableAsync("RECIPES_REGISTRY_CREDENTIALS", CancellationToken.None);

        client.BaseAddress.Scheme.ShouldBe("https", "a remote registry is spoken to over TLS unless listed as insecure");
        registry.Requests.Select(r => r.RequestUri!.AbsoluteUri).ShouldBe(["https://registry.example.com/v2/", "https://auth.example/token?service=registry.example.com", "https://registry.example.com/v2/"]);
    }

    [Fact]
    public async Task Refused_credentials_are_one_line_naming_the_variable_not_the_value()
    {
        var registry = new FakeRegistry();
        registry.Respond("GET", "/v2/", _ => Answer(HttpStatusCode.Unauthorized, ""));
        using var client = new RegistryClient("127.0.0.1:5000", "ci:s3cret", null, registry);

        var error = await Should.ThrowAsync<RecipeException>(() => client.CheckReachableAsync("RECIPES_REGISTRY_CREDENTIALS", CancellationToken.None));

        error.Message.ShouldBe("The registry 127.0.0.1:5000 refused the credentials in RECIPES_REGISTRY_CREDENTIALS (401); check them with docker login 127.0.0.1:5000.");
    }

    [Fact]
    public async Task An_unreachable_registry_is_one_line_naming_it_and_how_to_check_it()
    {
        var port = ClosedPort();
        using var client = new RegistryClient($"127.0.0.1:{port}", null, null);

        var error = await Should.ThrowAsync<RecipeException>(() => client.CheckReachableAsync("RECIPES_REGISTRY_CREDENTIALS", CancellationToken.None));

        error.Message.ShouldStartWith($"The registry 127.0.0.1:{port} cannot be reached (");
        error.Message.ShouldEndWith($"check that it runs and the registry setting is right: curl http://127.0.0.1:{port}/v2/");
        error.Message.ShouldNotContain("\n");
    }

    [Theory]
    [InlineData("127.0.0.1:5000", null, true)]
    [InlineData("localhost:5000", null, true)]
    [InlineData("registry.example.com", null, false)]
    [InlineData("registry.lan:5000", "other:1,registry.lan:5000", true)]
    public void Plain_http_only_for_loopback_and_the_registries_the_SDK_s_variable_lists(string host, string? insecure, bool plain)
    {
        RegistryClient.IsPlainHttp(host, insecure).ShouldBe(plain);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string? digest = null, string? challenge = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
        if (digest is not null)
        {
            response.Headers.Add("Docker-Content-Digest", digest);
        }

        if (challenge is not null)
        {
            response.Headers.WwwAuthenticate.ParseAdd(challenge);
        }

        return response;
    }

    /// <summary>Answers by method and path; anything else is 404, as a registry answers an unknown tag.</summary>
    private sealed class FakeRegistry : HttpMessageHandler
    {
        private readonly Dictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> _routes = [];

        public List<HttpRequestMessage> Requests { get; } = [];

        public void Respond(string method, string path, Func<HttpRequestMessage, HttpResponseMessage> answer) => _routes[$"{method} {path}"] = answer;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(_routes.TryGetValue($"{request.Method} {request.RequestUri!.AbsolutePath}", out var answer)
                ? answer(request)
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}
