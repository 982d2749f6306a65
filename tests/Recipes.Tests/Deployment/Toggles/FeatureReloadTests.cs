using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Recipes.Deployment.Toggles;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Toggles;

/// <summary>A running app sees a feature change in its features file without a restart.</summary>
[Trait("Category", "Slow")]
public sealed class FeatureReloadTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("recipes-reload");
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(5) };
    private FeatureToggleFile _file = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _file = FeatureToggleFile.For(_temp.Path, "staging");
        _file.Write("NewCheckout", FeatureExposure.Off);

        var builder = LoopbackApp.CreateBuilder();
        builder.Configuration.AddJsonFile(_file.Path, optional: true, reloadOnChange: true);
        builder.Services.AddFeatureManagement();
        _app = builder.Build();
        _app.MapGet("/feature/{name}", async (string name, IFeatureManager features) => await features.IsEnabledAsync(name) ? "on" : "off");
        await _app.StartAsync();
        _client.BaseAddress = LoopbackApp.Address(_app);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Flipping_a_flag_in_the_file_changes_the_running_apps_answer()
    {
        (await _client.GetStringAsync("/feature/NewCheckout")).ShouldBe("off");

        _file.Write("NewCheckout", FeatureExposure.On);
        await AnswerBecomes("on");

        _file.Write("NewCheckout", FeatureExposure.Off);
        await AnswerBecomes("off");
    }

    private async Task AnswerBecomes(string expected)
    {
        var clock = Stopwatch.StartNew();
        string answer;
        do
        {
            answer = await _client.GetStringAsync("/feature/NewCheckout");
            if (answer == expected)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(10));

        answer.ShouldBe(expected, $"the app still answered '{answer}' 10 s after the features file changed");
    }
}
