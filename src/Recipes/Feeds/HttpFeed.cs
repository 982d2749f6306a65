using System.Diagnostics;
using System.Net;
using System.Text.Json;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using NuGetLogLevel = NuGet.Common.LogLevel;

namespace Recipes.Feeds;

/// <summary>
/// A NuGet v3 server, found through its service index. Pushes go through NuGet's own push (the API key travels only
/// in its X-NuGet-ApiKey header); reads go anonymously to the flat container (PackageBaseAddress/3.0.0), since its
/// host may differ from the push endpoint's and must not see the key. Requests that fail for a passing reason are
/// tried again with exponential backoff, as <see cref="HttpFeedRetryPolicy"/> says and nothing else: NuGet's own
/// retries are taken out (see <see cref="SingleTryHttpSource"/>).
/// </summary>
public sealed class HttpFeed : IPackageFeed, IPackageVersionListing
{
    private const string PackageBaseAddressType = "PackageBaseAddress/3.0.0";
    private const int PushTimeoutSeconds = 300;

    /// <summary>One client for every feed: sockets are pooled, and connections are renewed so DNS changes are seen.</summary>
    private static readonly HttpClient Reader = CreateReader();

    private readonly Uri _serviceIndex;
    private readonly string? _apiKey;
    private readonly Action<string> _log;
    private readonly HttpFeedRetryPolicy _retry;
    private readonly SecretRedactor _redactor;
    private readonly SourceRepository _repository;
    private Uri? _packageBaseAddress;

    /// <summary>Creates the feed. Nothing is sent until the first call.</summary>
    /// <param name="serviceIndex">The http(s) URL of the service index, such as <c>https://host/v3/index.json</c>.</param>
    /// <param name="apiKey">The key pushes send; null for a feed that takes pushes without one.</param>
    /// <param name="log">Receives progress lines; they never contain the key.</param>
    /// <param name="retry">How often to try failing requests; 4 attempts from 1 s apart when null.</param>
    /// <exception cref="FeedConfigurationException">The URL is not an absolute http(s) URL.</exception>
    public HttpFeed(Uri serviceIndex, string? apiKey, Action<string>? log = null, HttpFeedRetryPolicy? retry = null)
    {
        ArgumentNullException.ThrowIfNull(serviceIndex);
        _redactor = new SecretRedactor([apiKey, .. SecretRedactor.SecretsIn(serviceIndex)]);
        if (!serviceIndex.IsAbsoluteUri || (serviceIndex.Scheme != Uri.UriSchemeHttp && serviceIndex.Scheme != Uri.UriSchemeHttps))
        {
            throw new FeedConfigurationException(_redactor.Redact(
                $"{serviceIndex.OriginalString} is not an http(s) URL; give the feed's NuGet v3 service index, such as https://host/v3/index.json"));
        }

        _serviceIndex = serviceIndex;
        _apiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        var sink = log ?? (_ => { });
        _log = line => sink(_redactor.Redact(line));
        _retry = retry ?? new HttpFeedRetryPolicy();
        DisplayName = DisplayNameOf(serviceIndex);
        _repository = SingleTryHttpSource.CreateRepository(serviceIndex.AbsoluteUri);
    }

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <inheritdoc />
    public async Task<string?> GetSha512Async(string id, string version, CancellationToken cancellationToken)
    {
        var nupkgUrl = await FindNupkgUrlAsync(id, version, cancellationToken);
        return nupkgUrl is null ? null : await SendWithRetriesAsync(nupkgUrl, HashAsync, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DownloadAsync(string id, string version, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var nupkgUrl = await FindNupkgUrlAsync(id, version, cancellationToken);
        if (nupkgUrl is null)
        {
            return false;
        }

        var start = destination.CanSeek ? destination.Position : 0;
        var copied = await SendWithRetriesAsync(nupkgUrl, async (response, token) =>
        {
            if (destination.CanSeek)
            {
                // A retry starts over: what a failed attempt wrote is cut off first.
                destination.SetLength(start);
                destination.Position = start;
            }

            await using var body = await response.Content.ReadAsStreamAsync(token);
            await body.CopyToAsync(destination, token);
            return (object?)true;
        }, cancellationToken);
        return copied is not null;
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<NuGetVersion>> IPackageVersionListing.ListVersionsAsync(string id, CancellationToken cancellationToken)
    {
        var baseAddress = await GetPackageBaseAddressAsync(cancellationToken);
        var versionsUrl = new Uri(baseAddress, $"{Uri.EscapeDataString(id.ToLowerInvariant())}/index.json");
        var listed = await SendWithRetriesAsync(versionsUrl, ReadVersionsAsync, cancellationToken) ?? [];
        return [.. listed.Select(text => NuGetVersion.TryParse(text, out var version) ? version : null).OfType<NuGetVersion>()];
    }

    /// <summary>The flat-container URL of the package's .nupkg, or null when the feed does not list that version.</summary>
    private async Task<Uri?> FindNupkgUrlAsync(string id, string version, CancellationToken cancellationToken)
    {
        var wanted = NuGetVersion.Parse(version);
        var baseAddress = await GetPackageBaseAddressAsync(cancellationToken);
        var lowerId = id.ToLowerInvariant();
        var versionsUrl = new Uri(baseAddress, $"{Uri.EscapeDataString(lowerId)}/index.json");
        var versions = await SendWithRetriesAsync(versionsUrl, ReadVersionsAsync, cancellationToken);
        if (versions is null || !versions.Any(listed => NuGetVersion.TryParse(listed, out var v) && v == wanted))
        {
            return null;
        }

        var lowerVersion = wanted.ToNormalizedString().ToLowerInvariant();
        return new Uri(baseAddress, $"{Uri.EscapeDataString(lowerId)}/{Uri.EscapeDataString(lowerVersion)}/{Uri.EscapeDataString($"{lowerId}.{lowerVersion}")}.nupkg");
    }

    /// <inheritdoc />
    public async Task PushAsync(PackageFile package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var nugetLog = new NuGetLogForwarder(_log, NuGetLogLevel.Information, _redactor);
        try
        {
            await WithRetriesAsync($"the push of {package.Id} {package.Version}", async token =>
            {
                var update = await _repository.GetResourceAsync<PackageUpdateResource>(token)
                    ?? throw new FeedConfigurationException($"{DisplayName} does not say where to push packages (no PackagePublish/2.0.0 in its service index); is it a read-only feed?");

                // NuGet's push takes no cancellation token; it stops at its own timeout. Plain http is the user's
                // explicit choice of URL, so NuGet is not asked to refuse it.
                await update.PushAsync(
                    packagePaths: [package.Path],
                    symbolSource: string.Empty,
                    timeoutInSecond: PushTimeoutSeconds,
                    disableBuffering: false,
                    getApiKey: _ => _apiKey ?? string.Empty,
                    getSymbolApiKey: _ => string.Empty,
                    noServiceEndpoint: false,
                    skipDuplicate: false,
                    allowSnupkg: false,
                    allowInsecureConnections: true,
                    log: nugetLog);
                return true;
            }, cancellationToken);
        }
        catch (Exception e) when (e is not RecipeException && HttpFailures.StatusOf(e) is HttpStatusCode.Conflict)
        {
            throw new PackageAlreadyInFeedException(package, DisplayName, _redactor.Redact(e));
        }
        catch (Exception e) when (e is not RecipeException && HttpFailures.StatusOf(e) is { } status)
        {
            throw Refusal(status, $"the push of {package.Id} {package.Version}", e);
        }
        catch (Exception e) when (e is not RecipeException and not OperationCanceledException)
        {
            throw new RecipeException(_redactor.Redact($"pushing {package.Id} {package.Version} to {DisplayName} failed: {e.Message}"), _redactor.Redact(e));
        }

        _log($"Pushed {package.Id} {package.Version} to {DisplayName}");
    }

    private async Task<Uri> GetPackageBaseAddressAsync(CancellationToken cancellationToken)
    {
        if (_packageBaseAddress is not null)
        {
            return _packageBaseAddress;
        }

        var address = await SendWithRetriesAsync(_serviceIndex, ReadPackageBaseAddressAsync, cancellationToken)
            ?? throw new FeedConfigurationException($"{DisplayName} was not found (404); give the URL of the feed's NuGet v3 service index, usually ending in /v3/index.json");
        return _packageBaseAddress = address;
    }

    private async Task<Uri?> ReadPackageBaseAddressAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var address = document.RootElement.GetProperty("resources").EnumerateArray()
                .Where(resource => resource.GetProperty("@type").ValueKind == JsonValueKind.String && resource.GetProperty("@type").GetString() == PackageBaseAddressType)
                .Select(resource => resource.GetProperty("@id").GetString())
                .FirstOrDefault(url => url is not null);
            if (address is null || !Uri.TryCreate(address.EndsWith('/') ? address : address + "/", UriKind.Absolute, out var uri))
            {
                throw new FeedConfigurationException($"{DisplayName} lists no {PackageBaseAddressType} resource; Recipes needs a NuGet v3 feed with a flat container");
            }

            return uri;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FeedConfigurationException($"{DisplayName} is not a NuGet v3 service index ({e.GetType().Name}); give the URL ending in /v3/index.json", _redactor.Redact(e));
        }
    }

    private static async Task<IReadOnlyList<string>?> ReadVersionsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return document.RootElement.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Array
            ? versions.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToList()
            : [];
    }

    private static async Task<string?> HashAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return PackageFiles.Sha512Hex(body);
    }

    /// <summary>GETs <paramref name="url"/> with retries; null on 404, <paramref name="read"/>'s result on success.</summary>
    private Task<T?> SendWithRetriesAsync<T>(Uri url, Func<HttpResponseMessage, CancellationToken, Task<T?>> read, CancellationToken cancellationToken)
        where T : class
    {
        var shownUrl = _redactor.Redact(url.AbsoluteUri);
        return WithRetriesAsync($"GET {shownUrl}", async token =>
        {
            using var response = await Reader.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                var failure = new HttpRequestException($"GET {shownUrl}: {HttpFailures.Describe(response.StatusCode)}", null, response.StatusCode);
                throw HttpFailures.IsTransient(response.StatusCode) ? failure : Refusal(response.StatusCode, $"GET {shownUrl}", failure);
            }

            return await read(response, token);
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="action"/>, trying again after passing failures; gives up with <see cref="FeedUnavailableException"/>.</summary>
    private async Task<T> WithRetriesAsync<T>(string what, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await action(cancellationToken);
            }
            catch (Exception e) when (e is not RecipeException && HttpFailures.IsTransient(e, cancellationToken))
            {
                var failure = _redactor.Redact(HttpFailures.Describe(e));
                if (attempt >= _retry.Attempts)
                {
                    var tries = attempt == 1 ? "1 attempt" : $"{attempt} attempts over {clock.Elapsed.TotalSeconds:0.0} s";
                    throw new FeedUnavailableException(
                        $"the feed {DisplayName} did not answer {what}: {failure} ({tries}); check the URL and that the feed is up, then publish again", _redactor.Redact(e));
                }

                var delay = _retry.DelayAfter(attempt);
                _log($"{what} failed ({failure}); trying again in {delay.TotalSeconds:0.##} s (attempt {attempt + 1} of {_retry.Attempts})");
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>The exception for an answer that trying again will not change.</summary>
    private RecipeException Refusal(HttpStatusCode status, string what, Exception failure)
    {
        // The feed's answer (such as a reason phrase) may echo the key back; the cause is kept with it masked.
        var cause = _redactor.Redact(failure);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var code = (int)status;
            return _apiKey is null
                ? new FeedAuthenticationException($"the feed {DisplayName} refused {what} without an API key ({code}); set RECIPES_FEED_API_KEY", cause)
                : new FeedAuthenticationException($"the feed {DisplayName} rejected the API key ({code}); check RECIPES_FEED_API_KEY", cause);
        }

        return new RecipeException($"the feed {DisplayName} refused {what}: {HttpFailures.Describe(status)}", cause);
    }

    /// <summary>The URL without user info, query or fragment, which is where credentials hide.</summary>
    private static string DisplayNameOf(Uri url) =>
        new UriBuilder(url) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty }.Uri.AbsoluteUri;

    private static HttpClient CreateReader()
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.All,
        })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Recipes");
        return client;
    }
}
