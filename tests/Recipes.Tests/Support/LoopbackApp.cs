using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Recipes.Tests.Support;

/// <summary>The in-process web apps of the tests: quiet, on a port of 127.0.0.1 that Kestrel picks when it starts.</summary>
internal static class LoopbackApp
{
    public static WebApplicationBuilder CreateBuilder(WebApplicationOptions? options = null)
    {
        var builder = options is null ? WebApplication.CreateSlimBuilder() : WebApplication.CreateSlimBuilder(options);
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder;
    }

    /// <summary>The started app's root address, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public static Uri Address(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
