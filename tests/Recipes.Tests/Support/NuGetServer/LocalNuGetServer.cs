using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Recipes.Tests.Support.NuGetServer;

/// <summary>
/// A NuGet v3 server on 127.0.0.1 for tests, close enough to the protocol that the real clients (dotnet nuget push,
/// dotnet restore, NuGet.Protocol) work against it: a service index, the flat container (PackageBaseAddress/3.0.0)
/// and the push endpoint (PackagePublish/2.0.0) guarded by an API key. It records each request as
/// "METHOD /path STATUS" (never a header value) and can fail requests on demand, for retry tests.
/// </summary>
public sealed class LocalNuGetServer : IAsyncDisposable
{
    public const string ApiKeyHeader = "X-NuGet-ApiKey";
    private const string FlatContainerPath = "/v3-flatcontainer/";
    private const string PublishPath = "/api/v2/package";

    private readonly WebApplication _app;
    private readonly PackageStore _store;
    private readonly byte[] _apiKey;
    private readonly List<string> _requests = [];
    private readonly Lock _faultsGate = new();
    private int _faultsLeft;
    private int _faultStatus;
    private string? _faultMethod;
    private string? _faultReason;

    private LocalNuGetServer(WebApplication app, PackageStore store, string apiKey)
    {
        _app = app;
        _store = store;
        _apiKey = Encoding.UTF8.GetBytes(apiKey);
    }

    /// <summary>The server's root, such as http://127.0.0.1:40123/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The service index that clients are given.</summary>
    public Uri ServiceIndex => new(BaseAddress, "v3/index.json");

    /// <summary>Every request so far, as "METHOD /path STATUS", oldest first.</summary>
    public IReadOnlyList<string> RequestLog
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a server that keeps its packages in <paramref name="storageDirectory"/> and takes pushes with <paramref name="apiKey"/>.</summary>
    public static async Task<LocalNuGetServer> StartAsync(string storageDirectory, string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var app = LoopbackApp.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory }).Build();
        var server = new LocalNuGetServer(app, new PackageStore(storageDirectory), apiKey);
        server.MapRoutes();
        await app.StartAsync();
        server.BaseAddress = LoopbackApp.Address(app);
        return server;
    }

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="statusCode"/> instead of serving them.</summary>
    public void FailNextRequests(int count, int statusCode) => FailNextRequests(count, statusCode, method: null);

    /// <summary>As <see cref="FailNextRequests(int, int)"/>, for requests with one method only (PUT, say).</summary>
    public void FailNextRequests(int count, int statusCode, string? method) => FailNextRequests(count, statusCode, method, reasonPhrase: null);

    /// <summary>As <see cref="FailNextRequests(int, int, string)"/>, with the reason phrase of the status line (HTTP/1.1) set as given.</summary>
    public void FailNextRequests(int count, int statusCode, string? method, string? reasonPhrase)
    {
        lock (_faultsGate)
        {
            (_faultsLeft, _faultStatus, _faultMethod, _faultReason) = (count, statusCode, method, reasonPhrase);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void MapRoutes()
    {
        _app.Use(async (context, next) =>
        {
            if (TakeFault(context.Request.Method) is { } fault)
            {
                context.Response.StatusCode = fault.Status;
                context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = fault.Reason;
            }
            else
            {
                await next(context);
            }

            lock (_requests)
            {
                _requests.Add($"{context.Request.Method} {context.Request.Path} {context.Response.StatusCode}");
            }
        });

        _app.MapGet("/v3/index.json", () => Results.Json(new
        {
            version = "3.0.0",
            resources = new object[]
            {
                Resource(FlatContainerPath, "PackageBaseAddress/3.0.0", "the flat container: version lists and .nupkg downloads"),
                Resource(PublishPath, "PackagePublish/2.0.0", "push (PUT, multipart/form-data, X-NuGet-ApiKey)"),
            },
        }));

        _app.MapGet(FlatContainerPath + "{id}/index.json", (string id) =>
            _store.Versions(id) is { Count: > 0 } versions ? Results.Json(new { versions }) : Results.NotFound());

        _app.MapGet(FlatContainerPath + "{id}/{version}/{fileName}", (string id, string version, string fileName) =>
            _store.Find(id, version, fileName) is { } path
                ? Results.File(path, fileName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) ? "application/xml" : "application/octet-stream")
                : Results.NotFound());

        _app.MapPut(PublishPath, (Func<HttpContext, Task<IResult>>)PushAsync);
    }

    private object Resource(string path, string type, string comment) =>
        new Dictionary<string, string> { ["@id"] = new Uri(BaseAddress, path.TrimStart('/')).AbsoluteUri, ["@type"] = type, ["comment"] = comment };

    private async Task<IResult> PushAsync(HttpContext context)
    {
        var given = Encoding.UTF8.GetBytes(context.Request.Headers[ApiKeyHeader].ToString());
        if (!CryptographicOperations.FixedTimeEquals(given, _apiKey))
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        if (!context.Request.HasFormContentType)
        {
            return Results.BadRequest("expected multipart/form-data with the .nupkg");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form.Files.Count != 1)
        {
            return Results.BadRequest("expected exactly one file, the .nupkg");
        }

        await using var upload = form.Files[0].OpenReadStream();
        return await _store.AddAsync(upload, context.RequestAborted) switch
        {
            UploadOutcome.Added => Results.StatusCode(StatusCodes.Status201Created),
            UploadOutcome.Duplicate => Results.Conflict("this package id and version already exist"),
            _ => Results.BadRequest("the upload is not a valid .nupkg"),
        };
    }

    private (int Status, string? Reason)? TakeFault(string method)
    {
        lock (_faultsGate)
        {
            if (_faultsLeft <= 0 || (_faultMethod is not null && !string.Equals(_faultMethod, method, StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            _faultsLeft--;
            return (_faultStatus, _faultReason);
        }
    }
}
