using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Recipes.Deployment.Hosts;
using Recipes.Tests.Support;
using Xunit.Abstractions;

namespace Recipes.Tests.Deployment.Hosts;

/// <summary>
/// The hosts target's switch as a slot sees it, at the balancer alone: nginx in front of two in-process apps, traffic
/// switched back and forth many times under steady load, the old app stopped after each switch and started again
/// before the next (as a slot is). Not one request may fail; each failure is printed with its exact exception.
/// </summary>
[Trait("Category", "Slow")]
public sealed class NginxBalancerSwitchTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Switches = 30;
    private readonly TempDirectory _temp = new();
    private readonly int _port = PublicPorts.Next();
    private readonly Dictionary<string, WebApplication> _apps = [];
    private NginxBalancer? _balancer;

    public Task InitializeAsync()
    {
        DebianPackages.Require("nginx", "nginx");
        _balancer = new NginxBalancer(_temp.Combine("nginx"), _port, _ => { });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _balancer!.StopAsync(CancellationToken.None);
        foreach (var app in _apps.Values)
        {
            await app.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task Switching_back_and_forth_under_load_and_stopping_the_old_app_each_time_fails_no_request()
    {
        var ports = new Dictionary<string, int> { ["blue"] = PublicPorts.Next(), ["green"] = PublicPorts.Next() };
        await StartAsync("blue", ports["blue"]);
        await _balancer!.SwitchAsync([$"127.0.0.1:{ports["blue"]}"], CancellationToken.None);
        var live = "blue";
        await using var load = LoadGenerator.Start(new LoadOptions
        {
            Url = new Uri($"http://127.0.0.1:{_port}/"), MaxDuration = TimeSpan.FromMinutes(5), MaxRequests = 10_000_000,
            Workers = 6, Interval = TimeSpan.FromMilliseconds(5),
        });

        for (var i = 0; i < Switches; i++)
        {
            var idle = live == "blue" ? "green" : "blue";
            await StartAsync(idle, ports[idle]);
            await WaitAnswersAsync(idle);
            await _balancer.SwitchAsync([$"127.0.0.1:{ports[idle]}"], CancellationToken.None);
            // As the hosts target does: the old slot stops once nginx's old workers are gone.
            await _apps[live].DisposeAsync();
            _apps.Remove(live);
            live = idle;
        }

        var traffic = await load.StopAsync();
        var failures = traffic.Requests.Where(r => r.Failed).ToList();
        foreach (var failure in failures)
        {
            output.WriteLine($"at {failure.Started.TotalMilliseconds:0} ms: {failure.StatusCode?.ToString() ?? failure.Error} {failure.Detail}");
        }

        output.WriteLine($"{traffic.Total} requests through {Switches} switches, {traffic.Failed} failed");
        traffic.VersionCounts.Keys.ShouldBe(["blue", "green"], ignoreOrder: true);
        traffic.Failed.ShouldBe(0, string.Join("\n", failures.Select(f => $"{f.StatusCode?.ToString() ?? f.Error} {f.Detail}")));
    }

    private async Task StartAsync(string name, int port)
    {
        var builder = LoopbackApp.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers["X-App-Version"] = name;
            return Results.Text(name);
        });
        await app.StartAsync();
        _apps[name] = app;
    }

    private async Task WaitAnswersAsync(string name)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        (await http.GetStringAsync($"{LoopbackApp.Address(_apps[name])}")).ShouldBe(name);
    }
}
