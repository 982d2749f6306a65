using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Recipes.Deployment.Hosts;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Hosts;

/// <summary>
/// Debian's nginx as the hosts target runs it, in front of two in-process apps: a switch moves every request, and a
/// configuration that <c>nginx -t</c> refuses is not applied (one line; the old configuration keeps serving).
/// </summary>
[Trait("Category", "Slow")]
public sealed class NginxBalancerTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly int _port = PublicPorts.Next();
    private readonly List<WebApplication> _apps = [];
    private readonly NginxBalancer _balancer;

    public NginxBalancerTests()
    {
        DebianPackages.Require("nginx", "nginx");
        _balancer = new NginxBalancer(_temp.Combine("nginx"), _port, _ => { });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _balancer.StopAsync(CancellationToken.None);
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task A_switch_moves_every_request_and_a_configuration_nginx_refuses_leaves_the_old_one_serving()
    {
        var blue = await StartAsync("blue");
        var green = await StartAsync("green");

        await _balancer.SwitchAsync([blue], CancellationToken.None);
        (await AnswerAsync()).ShouldBe("blue");
        var pid = _balancer.RunningPid().ShouldNotBeNull();
        await _balancer.SwitchAsync([green], CancellationToken.None);
        (await AnswerAsync()).ShouldBe("green");
        _balancer.RunningPid().ShouldBe(pid, "a switch reloads the running nginx, it does not restart it");

        var refused = await Should.ThrowAsync<RecipeException>(() => _balancer.SwitchAsync(["no such host!:1"], CancellationToken.None));

        refused.Message.ShouldStartWith("nginx -t refused the new configuration");
        refused.Message.ShouldNotContain("\n");
        _balancer.Servers().ShouldBe([green], "the refused upstream file was put back");
        (await AnswerAsync()).ShouldBe("green");
    }

    private async Task<string> StartAsync(string name)
    {
        var app = LoopbackApp.CreateBuilder().Build();
        app.MapGet("/", () => Results.Text(name));
        await app.StartAsync();
        _apps.Add(app);
        return $"127.0.0.1:{LoopbackApp.Address(app).Port}";
    }

    private async Task<string> AnswerAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync($"http://127.0.0.1:{_port}/");
    }
}
