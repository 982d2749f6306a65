using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Recipes.Deployment.Routing;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Routing;

/// <summary>
/// The pin header on the router's public port: signed with the router's admin token it sends a request to the named
/// destination whatever the weights (a canary's probes); signed otherwise it is refused; it never reaches a release.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DestinationPinTests(RouterFixture router) : IClassFixture<RouterFixture>, IAsyncLifetime
{
    private const string Header = "X-Recipes-Pin";
    private WebApplication? _echo;
    private Uri _echoAddress = null!;

    public async Task InitializeAsync()
    {
        // Answers with the pin header it received, if any: a release must never see it.
        _echo = LoopbackApp.CreateBuilder().Build();
        _echo.Run(context => context.Response.WriteAsync("echo:" + context.Request.Headers[Header]));
        await _echo.StartAsync();
        _echoAddress = LoopbackApp.Address(_echo);
    }

    public async Task DisposeAsync()
    {
        if (_echo is not null)
        {
            await _echo.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_request_signed_with_the_admin_token_goes_to_its_destination_even_at_weight_0_without_the_header()
    {
        await router.Admin.ApplyAsync(new RouteConfig([
            new RouteDestination("blue", router.Blue.Address, 100),
            new RouteDestination("canary-7", _echoAddress, 0)]));

        for (var i = 0; i < 20; i++)
        {
            (await SendAsync(router.Admin.PinTo("canary-7").Value)).ShouldBe((HttpStatusCode.OK, "echo:"));
            (await SendAsync(pin: null)).ShouldBe((HttpStatusCode.OK, "blue"));
        }

        var metrics = (await router.Admin.GetMetricsAsync()).Single(m => m.Name == "canary-7");
        metrics.Requests.ShouldBeGreaterThanOrEqualTo(20, "pinned requests count as the destination's traffic");
    }

    [Fact]
    public async Task A_pin_not_signed_with_this_routers_token_is_refused_and_forwarded_nowhere()
    {
        await router.Admin.ApplyAsync(new RouteConfig([
            new RouteDestination("blue", router.Blue.Address, 100),
            new RouteDestination("canary-8", _echoAddress, 0)]));
        using var otherRouter = new RouterClient(router.AdminAddress, "not-the-token");
        var blueBefore = router.Blue.Requests;

        var forged = await SendAsync(otherRouter.PinTo("canary-8").Value);
        var unsigned = await SendAsync("canary-8");
        var tampered = await SendAsync(router.Admin.PinTo("blue").Value.Replace(".blue", ".canary-8", StringComparison.Ordinal));

        foreach (var (status, body) in new[] { forged, unsigned, tampered })
        {
            status.ShouldBe(HttpStatusCode.Forbidden);
            body.ShouldStartWith("X-Recipes-Pin is not signed with this router's admin token");
        }

        router.Blue.Requests.ShouldBe(blueBefore);
        (await router.Admin.GetMetricsAsync()).ShouldNotContain(m => m.Name == "canary-8");
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string? pin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/pinned");
        if (pin is not null)
        {
            request.Headers.Add(Header, pin);
        }

        using var response = await router.Public.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
