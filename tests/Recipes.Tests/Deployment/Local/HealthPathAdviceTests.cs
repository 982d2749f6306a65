using Recipes.Deployment;
using Recipes.Deployment.Local;

namespace Recipes.Tests.Deployment.Local;

/// <summary>A deployment whose health.path the app does not map fails saying which of the app's paths answer.</summary>
[Trait("Category", "Slow")]
public sealed class HealthPathAdviceTests(TestAppFeedFixture feed) : IClassFixture<TestAppFeedFixture>, IAsyncLifetime
{
    private readonly LocalDeploymentHarness _harness = new(feed);

    [Fact]
    public async Task A_health_path_answering_404_names_the_apps_path_that_answers_and_the_setting()
    {
        // The test app maps /health; /healthz, a common choice, is not found.
        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero), environment => environment with
        {
            Health = environment.Health with { Path = "/healthz", Timeout = TimeSpan.FromSeconds(4) },
        });

        var failed = await Should.ThrowAsync<ReleaseUnhealthyException>(() => _harness.DeployAsync(dev, "1.0.0"));

        failed.Message.ShouldContain("healthz with 200 within 4 s (last answer 404 Not Found)");
        failed.Message.ShouldContain("but /health answered 2xx (tried /, /health; /health from Recipes.TestApp.dll): set health.path in environments.yml");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();
}
