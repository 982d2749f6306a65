using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Recipes.Artifacts.Images;

/// <summary>
/// The few calls of the registry HTTP API (distribution spec) the recipe needs around a push: is the registry there,
/// what digest does a tag name, and what does that image's configuration say. The SDK does the pushing itself.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    /// <summary>The manifest types an image of the SDK or of <c>docker build</c> comes as; the registry answers with the digest of that manifest.</summary>
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ];

    private readonly HttpClient _http;
    private readonly string? _credentials;
    private AuthenticationHeaderValue? _authorization;

    /// <param name="registry">The registry setting: host[:port][/path].</param>
    /// <param name="credentials"><c>user:password</c>, a token, or null for an anonymous registry.</param>
    /// <param name="insecureRegistries">DOTNET_CONTAINER_INSECURE_REGISTRIES: hosts spoken to over plain HTTP besides loopback.</param>
    /// <param name="handler">The HTTP handler; a test's fake, else a socket handler.</param>
    public RegistryClient(string registry, string? credentials, string? insecureRegistries, HttpMessageHandler? handler = null)
    {
        Host = ImageReferences.Split(registry).Host;
        BaseAddress = new Uri($"{(IsPlainHttp(Host, insecureRegistries) ? "http" : "https")}://{Host}/v2/");
        _credentials = string.IsNullOrEmpty(credentials) ? null : credentials;
        _authorization = _credentials is null ? null
            : _credentials.Contains(':', StringComparison.Ordinal) ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_credentials)))
            : new AuthenticationHeaderValue("Bearer", _credentials);
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(60);
    }

    /// <summary>The registry's host and port.</summary>
    public string Host { get; }

    /// <summary>The base of the API: <c>http(s)://host[:port]/v2/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Whether the registry is spoken to over plain HTTP: a loopback host, or one the SDK's insecure-registries variable lists.</summary>
    public bool UsesPlainHttp => BaseAddress.Scheme == Uri.UriSchemeHttp;

    /// <summary>Loopback registries serve plain HTTP (a team's CI-local registry); others only when listed, as the SDK decides.</summary>
    public static bool IsPlainHttp(string host, string? insecureRegistries)
    {
        var name = host.StartsWith('[') ? host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)] : host.Split(':')[0];
        var listed = (insecureRegistries ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return name is "localhost" or "127.0.0.1" or "[::1]" || listed.Contains(host, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Fails in one line when the registry cannot be reached or refuses the credentials.</summary>
    public async Task CheckReachableAsync(string credentialsVariable, CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Get, "", cancellation).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RecipeException(_credentials is null
                ? $"The registry {Host} wants credentials ({(int)response.StatusCode}); put user:password or a token in the environment variable {credentialsVariable}."
                : $"The registry {Host} refused the credentials in {credentialsVariable} ({(int)response.StatusCode}); check them with docker login {Host}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new RecipeException($"{BaseAddress} answered {(int)response.StatusCode} {response.ReasonPhrase}, not a container registry's API; check the registry setting ({Host}).");
        }
    }

    /// <summary>The digest the registry holds for <c>repository:tag</c>, or null when the tag does not exist.</summary>
    public async Task<string?> DigestAsync(string repository, string tag, CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Head, $"{repository}/manifests/{tag}", cancellation).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Ensure(response, $"{repository}:{tag}");
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { Length: > 0 } digest
            ? digest
            : throw new RecipeException($"The registry {Host} gave no Docker-Content-Digest for {repository}:{tag}; the recipe needs a registry that implements the distribution spec.");
    }

    /// <summary>The labels of the image's configuration (for an index, of its first image).</summary>
    public async Task<IReadOnlyDictionary<string, string>> LabelsAsync(string repository, string reference, CancellationToken cancellation)
    {
        using var manifest = await JsonAsync($"{repository}/manifests/{reference}", cancellation).ConfigureAwait(false);
        if (manifest.RootElement.TryGetProperty("manifests", out var images) && images.GetArrayLength() > 0)
        {
            return await LabelsAsync(repository, images[0].GetProperty("digest").GetString()!, cancellation).ConfigureAwait(false);
        }

        var configDigest = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString();
        using var config = await JsonAsync($"{repository}/blobs/{configDigest}", cancellation).ConfigureAwait(false);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config.RootElement.TryGetProperty("config", out var settings) && settings.TryGetProperty("Labels", out var found) && found.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in found.EnumerateObject())
            {
                labels[label.Name] = label.Value.ToString();
            }
        }

        return labels;
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> JsonAsync(string path, CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Get, path, cancellation).ConfigureAwait(false);
        Ensure(response, path);
        var body = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        return JsonDocument.Parse(body);
    }

    private void Ensure(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new RecipeException($"The registry {Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for {what}; check the registry setting and its credentials.");
        }
    }

    /// <summary>Sends a request; a registry that answers 401 with a Bearer challenge gets the token it names, once.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken cancellation)
    {
        var response = await SendOnceAsync(method, path, cancellation).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized
            || response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) is not { Parameter: { } challenge })
        {
            return response;
        }

        response.Dispose();
        _authorization = await TokenAsync(challenge, cancellation).ConfigureAwait(false);
        return await SendOnceAsync(method, path, cancellation).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        request.Headers.Authorization = _authorization;
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        try
        {
            return await _http.SendAsync(request, cancellation).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            var reason = exception.InnerException?.Message ?? exception.Message;
            throw new RecipeException($"The registry {Host} cannot be reached ({reason}); check that it runs and the registry setting is right: curl {BaseAddress}", exception);
        }
    }

    /// <summary>Bearer challenge: realm="https://auth/token",service="...",scope="...". The token service takes the credentials as Basic.</summary>
    private async Task<AuthenticationHeaderValue?> TokenAsync(string challenge, CancellationToken cancellation)
    {
        var parameters = challenge.Split(',', StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim('"'), StringComparer.OrdinalIgnoreCase);
        if (!parameters.TryGetValue("realm", out var realm))
        {
            return _authorization;
        }

        var query = string.Join('&', parameters.Where(p => p.Key != "realm").Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, query.Length > 0 ? $"{realm}?{query}" : realm);
        if (_credentials is not null && _credentials.Contains(':', StringComparison.Ordinal))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_credentials)));
        }

        using var response = await _http.SendAsync(request, cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return _authorization;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false));
        return body.RootElement.TryGetProperty("token", out var token) || body.RootElement.TryGetProperty("access_token", out token)
            ? new AuthenticationHeaderValue("Bearer", token.GetString())
            : _authorization;
    }
}
