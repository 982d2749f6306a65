using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Recipes.Deployment.Routing;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Routing;

/// <summary>
/// One Recipes.Router process (free loopback ports, its own state folder) and the backends it routes to, all Kestrel
/// servers on 127.0.0.1 in the test process that answer with their own name: blue, green, flaky (every 4th request
/// is a 500), and shadow (a new version that answers 404 under /diff and 8 s late under /slow); each answers
/// /wait/&lt;ms&gt; that late.
/// </summary>
public sealed class RouterFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _state = new("recipes-router");
    private readonly StringBuilder _routerOutput = new();
    private Process? _router;

    public Backend Blue { get; } = new("blue");
    public Backend Green { get; } = new("green");
    public Backend Flaky { get; } = new("flaky", failEvery: 4);
    public Backend Shadow { get; } = new("shadow", actsAsShadow: true);

    public RouterClient Admin { get; private set; } = null!;
    public HttpClient Public { get; private set; } = null!;
    public Uri AdminAddress => Admin.AdminAddress;
    public string StateDirectory => _state.Path;

    public string RouterOutput
    {
        get
        {
            lock (_routerOutput)
            {
                return _routerOutput.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Blue.StartAsync(), Green.StartAsync(), Flaky.StartAsync(), Shadow.StartAsync());
        var routerAssembly = typeof(RouterFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RecipesRouterAssembly").Value!;
        File.Exists(routerAssembly).ShouldBeTrue($"Build src/Recipes.Router first: {routerAssembly} is missing.");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { routerAssembly, "--port", "0", "--admin-port", "0", "--state", _state.Path })
        {
            start.ArgumentList.Add(argument);
        }

        _router = Process.Start(start)!;
        _router.OutputDataReceived += (_, e) => Capture(e.Data);
        _router.ErrorDataReceived += (_, e) => Capture(e.Data);
        _router.BeginOutputReadLine();
        _router.BeginErrorReadLine();

        var info = Path.Combine(_state.Path, RouterClient.InfoFileName);
        var waited = Stopwatch.StartNew();
        while (!File.Exists(info))
        {
            if (_router.HasExited || waited.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"The router did not start within {StartTimeout}: {RouterOutput}");
            }

            await Task.Delay(50);
        }

        Admin = RouterClient.ForStateDirectory(_state.Path);
        var port = JsonDocument.Parse(await File.ReadAllTextAsync(info)).RootElement.GetProperty("port").GetInt32();
        Public = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        (await Admin.IsRunningAsync()).ShouldBeTrue(RouterOutput);
    }

    public async Task DisposeAsync()
    {
        Public?.Dispose();
        Admin?.Dispose();
        if (_router is { HasExited: false })
        {
            _router.Kill(entireProcessTree: true);
            await _router.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _router?.Dispose();
        await Task.WhenAll(Blue.DisposeAsync().AsTask(), Green.DisposeAsync().AsTask(), Flaky.DisposeAsync().AsTask(), Shadow.DisposeAsync().AsTask());
        _state.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_routerOutput)
        {
            _routerOutput.AppendLine(line);
        }
    }

    /// <summary>A release stand-in that answers every request with its name.</summary>
    public sealed class Backend(string name, int failEvery = 0, bool actsAsShadow = false) : IAsyncDisposable
    {
        private WebApplication? _app;
        private long _requests;
        private long _mirroredRequests;
        private long _nonIdempotentMirrored;

        public string Name => name;
        public Uri Address { get; private set; } = null!;
        public long Requests => Interlocked.Read(ref _requests);
        public long MirroredRequests => Interlocked.Read(ref _mirroredRequests);
        public long NonIdempotentMirrored => Interlocked.Read(ref _nonIdempotentMirrored);

        public async Task StartAsync()
        {
            _app = LoopbackApp.CreateBuilder().Build();
            _app.Run(async context =>
            {
                var count = Interlocked.Increment(ref _requests);
                if (context.Request.Headers.ContainsKey("X-Recipes-Mirror"))
                {
                    Interlocked.Increment(ref _mirroredRequests);
                    if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
                    {
                        Interlocked.Increment(ref _nonIdempotentMirrored);
                    }
                }

                if (actsAsShadow && context.Request.Path.StartsWithSegments("/slow"))
                {
                    await Task.Delay(8000);
                }

                if (context.Request.Path.StartsWithSegments("/wait", out var rest) && int.TryParse(rest.Value?.Trim('/'), out var milliseconds))
                {
                    await Task.Delay(milliseconds);
                }

                context.Response.StatusCode =
                    failEvery > 0 && count % failEvery == 0 ? 500
                    : actsAsShadow && context.Request.Path.StartsWithSegments("/diff") ? 404
                    : 200;
                await context.Response.WriteAsync(name);
            });
            await _app.StartAsync();
            Address = LoopbackApp.Address(_app);
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }
    }
}
