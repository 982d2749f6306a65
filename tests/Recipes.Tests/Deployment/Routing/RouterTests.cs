using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Recipes.Deployment.Routing;
using Xunit.Abstractions;

namespace Recipes.Tests.Deployment.Routing;

/// <summary>The router process end to end: routes, atomic switch, draining, weights, metrics, mirroring, admin token.</summary>
[Trait("Category", "Slow")]
public sealed class RouterTests(RouterFixture router, ITestOutputHelper output) : IClassFixture<RouterFixture>
{
    private const int MaxRequestsPerClient = 20_000;

    [Fact]
    public async Task All_traffic_goes_to_the_destination_with_weight_100()
    {
        await router.Admin.ApplyAsync(BlueGreen(blueWeight: 100, greenWeight: 0));

        var bodies = await SendAsync(100, "/a");

        bodies.ShouldAllBe(b => b == "blue");
        (await router.Admin.GetConfigAsync())!.Destinations.Select(d => (d.Name, d.Weight)).ShouldBe([("blue", 100), ("green", 0)]);
    }

    [Fact]
    public async Task Switching_from_blue_to_green_under_load_fails_no_request_and_sends_everything_after_it_to_green()
    {
        await router.Admin.ApplyAsync(BlueGreen(blueWeight: 100, greenWeight: 0));
        var results = new ConcurrentBag<(long StartedTicks, long EndedTicks, string? Body, string? Failure)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < MaxRequestsPerClient && !stop.IsCancellationRequested; i++)
            {
                var started = clock.ElapsedTicks;
                try
                {
                    using var response = await router.Public.GetAsync("/steady");
                    var body = await response.Content.ReadAsStringAsync();
                    results.Add((started, clock.ElapsedTicks, body, response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode}"));
                }
                catch (HttpRequestException e)
                {
                    results.Add((started, clock.ElapsedTicks, null, e.Message));
                }
            }
        })).ToArray();

        // Switch once blue has answered some requests: on a loaded machine the first ones through a cold router are slow.
        var blueAnswered = Stopwatch.StartNew();
        while (results.Count < 20 && blueAnswered.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        var switchStarted = clock.ElapsedTicks;
        await router.Admin.ApplyAsync(BlueGreen(blueWeight: 0, greenWeight: 100));
        var switchApplied = clock.ElapsedTicks;
        stop.CancelAfter(TimeSpan.FromSeconds(1.8));
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;

        results.Where(r => r.Failure is not null).ShouldBeEmpty();
        results.Where(r => r.StartedTicks >= switchApplied).ShouldAllBe(r => r.Body == "green");
        results.Count(r => r.StartedTicks >= switchApplied).ShouldBeGreaterThan(0);
        results.Count(r => r.EndedTicks <= switchStarted).ShouldBeGreaterThan(0);
        var firstGreen = results.Where(r => r.Body == "green").Min(r => r.EndedTicks);
        output.WriteLine(
            $"switch: PUT /config returned after {Ms(switchApplied - switchStarted):F1} ms; first green response " +
            $"{Ms(firstGreen - switchStarted):F1} ms after the PUT started; {results.Count} requests in {elapsed.TotalSeconds:F1} s " +
            $"= {results.Count / elapsed.TotalSeconds:F0} requests/s through the router (4 clients)");
    }

    [Fact]
    public async Task Weights_10_and_90_split_1000_requests_within_5_points()
    {
        await router.Admin.ApplyAsync(BlueGreen(blueWeight: 10, greenWeight: 90));

        var bodies = await SendAsync(1000, "/split");

        var bluePercent = bodies.Count(b => b == "blue") / 10.0;
        output.WriteLine($"blue {bluePercent}% of 1000");
        bodies.ShouldAllBe(b => b == "blue" || b == "green");
        bluePercent.ShouldBeInRange(5, 15);
    }

    [Fact]
    public async Task Metrics_count_server_errors_and_latency_per_destination()
    {
        await router.Admin.ApplyAsync(new RouteConfig([
            new RouteDestination("canary-flaky", router.Flaky.Address, 50),
            new RouteDestination("canary-stable", router.Blue.Address, 50)]));
        var before = await MetricsAsync();

        var statuses = await SendForStatusAsync(400, "/canary");

        var after = await MetricsAsync();
        var flaky = Delta(before, after, "canary-flaky");
        var stable = Delta(before, after, "canary-stable");
        output.WriteLine($"flaky {flaky}; stable {stable}");
        (flaky.Requests + stable.Requests).ShouldBe(400);
        flaky.ServerErrors.ShouldBe(statuses.Count(s => s == 500));
        flaky.ServerErrors.ShouldBeInRange(flaky.Requests / 4, (flaky.Requests / 4) + 1);
        flaky.Requests.ShouldBeGreaterThan(100);
        stable.ServerErrors.ShouldBe(0);
        after.Single(m => m.Name == "canary-flaky").P95LatencyMs.ShouldNotBeNull().ShouldBeGreaterThan(0);
        after.Single(m => m.Name == "canary-flaky").ServerErrorRate.ShouldBeGreaterThan(0.1);
    }

    [Fact]
    public async Task Mirroring_copies_get_requests_to_the_shadow_counts_mismatches_and_users_see_only_the_live_response()
    {
        await router.Admin.ApplyAsync(new RouteConfig(
            [new RouteDestination("dark-live", router.Blue.Address, 100)],
            new RouteDestination("dark-shadow", router.Shadow.Address)));
        var shadowBefore = router.Shadow.MirroredRequests;

        var same = await SendForStatusAsync(20, "/same");
        var different = await SendForStatusAsync(10, "/diff/x");
        for (var i = 0; i < 5; i++)
        {
            (await router.Public.PostAsync("/orders", new StringContent("{}"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var slow = Stopwatch.StartNew();
        (await router.Public.GetStringAsync("/slow")).ShouldBe("blue");
        slow.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(6), "a shadow 8 s late must not delay the user's response");

        same.Concat(different).ShouldAllBe(s => s == 200);
        var shadow = await WaitForAsync(m => m.Name == "dark-shadow" && m.Mirrored >= 31, TimeSpan.FromSeconds(20));
        shadow.Mirrored.ShouldBe(31);
        shadow.MirrorMismatches.ShouldBe(10);
        (router.Shadow.MirroredRequests - shadowBefore).ShouldBe(31);
        router.Shadow.NonIdempotentMirrored.ShouldBe(0);
    }

    [Fact]
    public async Task The_admin_api_refuses_requests_without_the_token()
    {
        using var anonymous = new HttpClient { BaseAddress = router.AdminAddress };

        (await anonymous.GetAsync("config")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PutAsync("config", new StringContent("{}"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var wrongToken = new RouterClient(router.AdminAddress, "not-the-token");
        var refused = await Should.ThrowAsync<RecipeException>(() => wrongToken.ApplyAsync(RouteConfig.AllTo("x", router.Green.Address)));
        refused.Message.ShouldContain("401");
    }

    [Fact]
    public async Task An_invalid_config_is_refused_with_a_reason_and_the_route_in_force_stays()
    {
        await router.Admin.ApplyAsync(BlueGreen(blueWeight: 100, greenWeight: 0));

        var refused = await Should.ThrowAsync<RecipeException>(() => router.Admin.ApplyAsync(BlueGreen(blueWeight: 0, greenWeight: 0)));

        refused.Message.ShouldContain("400");
        refused.Message.ShouldContain("positive weight");
        (await router.Public.GetStringAsync("/still")).ShouldBe("blue");
    }

    [Fact]
    public async Task Draining_a_destination_routed_out_waits_for_the_requests_still_on_their_way_to_it()
    {
        var held = await HoldAtBlueAsync(1500);

        // Blue is out of the route (as after a blue-green switch) while it still answers the request it was sent.
        await router.Admin.ApplyAsync(new RouteConfig([new RouteDestination("green", router.Green.Address, 100)]));
        var (drained, inFlight) = await router.Admin.DrainAsync("blue", TimeSpan.FromSeconds(30));

        drained.ShouldBeTrue();
        inFlight.ShouldBe(0);
        held.IsCompleted.ShouldBeTrue("the drain answers only once blue has answered what it was sent");
        (await held).ShouldBe("blue");
        (await router.Admin.DrainAsync("blue", TimeSpan.FromSeconds(30))).ShouldBe((true, 0L), "nothing on its way: drained");
    }

    [Fact]
    public async Task A_drain_that_times_out_says_how_many_requests_are_still_on_their_way_and_one_of_a_routed_destination_is_refused()
    {
        var held = await HoldAtBlueAsync(4000);
        await router.Admin.ApplyAsync(BlueGreen(blueWeight: 0, greenWeight: 100));

        var (drained, inFlight) = await router.Admin.DrainAsync("blue", TimeSpan.FromMilliseconds(200));
        var refused = await Should.ThrowAsync<RecipeException>(() => router.Admin.DrainAsync("green", TimeSpan.FromSeconds(1)));

        drained.ShouldBeFalse();
        inFlight.ShouldBe(1);
        refused.Message.ShouldContain("409");
        refused.Message.ShouldContain("green still has weight 100 in route version");
        refused.Message.ShouldContain("route it out (PUT /config) before draining it");
        (await held).ShouldBe("blue", "a drain never cuts a request short");
    }

    /// <summary>Routes everything to blue and sends it a request it answers <paramref name="milliseconds"/> later; returns once blue has it.</summary>
    private async Task<Task<string>> HoldAtBlueAsync(int milliseconds)
    {
        await router.Admin.ApplyAsync(BlueGreen(blueWeight: 100, greenWeight: 0));
        var before = router.Blue.Requests;
        var held = router.Public.GetStringAsync($"/wait/{milliseconds}");
        var waited = Stopwatch.StartNew();
        while (router.Blue.Requests == before)
        {
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), "the held request reaches blue");
            await Task.Delay(10);
        }

        return held;
    }

    private RouteConfig BlueGreen(int blueWeight, int greenWeight) =>
        new([new RouteDestination("blue", router.Blue.Address, blueWeight), new RouteDestination("green", router.Green.Address, greenWeight)]);

    private async Task<List<string>> SendAsync(int count, string path)
    {
        var bodies = new ConcurrentBag<string>();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
            bodies.Add(await router.Public.GetStringAsync(path, ct)));
        return [.. bodies];
    }

    private async Task<List<int>> SendForStatusAsync(int count, string path)
    {
        var statuses = new ConcurrentBag<int>();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
        {
            using var response = await router.Public.GetAsync(path, ct);
            statuses.Add((int)response.StatusCode);
        });
        return [.. statuses];
    }

    private async Task<IReadOnlyList<DestinationMetrics>> MetricsAsync() => await router.Admin.GetMetricsAsync();

    private static DestinationMetrics Delta(IReadOnlyList<DestinationMetrics> before, IReadOnlyList<DestinationMetrics> after, string name)
    {
        var a = after.Single(m => m.Name == name);
        var b = before.SingleOrDefault(m => m.Name == name);
        return a with { Requests = a.Requests - (b?.Requests ?? 0), ServerErrors = a.ServerErrors - (b?.ServerErrors ?? 0) };
    }

    private async Task<DestinationMetrics> WaitForAsync(Func<DestinationMetrics, bool> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var match = (await MetricsAsync()).FirstOrDefault(condition);
            if (match is not null || waited.Elapsed > timeout)
            {
                return match ?? throw new ShouldAssertException($"No destination metrics matched within {timeout}: {string.Join("; ", await MetricsAsync())}");
            }

            await Task.Delay(50);
        }

        throw new ShouldAssertException("No destination metrics matched within 500 polls.");
    }

    private static double Ms(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;
}
