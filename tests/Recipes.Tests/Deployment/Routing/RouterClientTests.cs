using Recipes.Deployment.Routing;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Routing;

public sealed class RouterClientTests
{
    [Fact]
    public void A_state_folder_without_a_started_router_is_refused_with_what_to_do()
    {
        using var state = new TempDirectory("recipes-router-state");

        var refused = Should.Throw<RecipeException>(() => RouterClient.ForStateDirectory(state.Path));

        refused.Message.ShouldContain("router.json is missing");
        refused.Message.ShouldContain("--state");
    }

    [Fact]
    public async Task A_router_that_does_not_answer_is_not_running()
    {
        using var client = new RouterClient(new Uri("http://127.0.0.1:9/"), "token", TimeSpan.FromSeconds(2));

        (await client.IsRunningAsync()).ShouldBeFalse();
    }

    [Fact]
    public void All_traffic_to_one_destination_has_weight_100_and_no_mirror()
    {
        var config = RouteConfig.AllTo("green", new Uri("http://127.0.0.1:6002"));

        config.Destinations.ShouldHaveSingleItem().Weight.ShouldBe(100);
        config.Mirror.ShouldBeNull();
    }
}
