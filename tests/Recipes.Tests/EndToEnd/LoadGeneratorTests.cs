using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>A tiny app on a free loopback port that answers with a version header, fails or hangs, by path.</summary>
public sealed class LoadTargetApp : IAsyncLifetime
{
    private WebApplication _app = null!;
    private volatile string _version = "1.0.0";
    private int _posted;

    public Uri Address { get; private set; } = null!;

    /// <summary>How many POSTs to /count the app has received (each answered 100 ms later).</summary>
    public int Posted => Volatile.Read(ref _posted);

    /// <summary>The version the app says it is from now on, as a deployment switch would make it.</summary>
    public string Version
    {
        get => _version;
        set => _version = value;
    }

    public async Task InitializeAsync()
    {
        _app = LoopbackApp.CreateBuilder().Build();
        _app.MapGet("/ok", (HttpResponse response) =>
        {
            response.Headers["X-App-Version"] = _version;
            return "hello";
        });
        _app.MapGet("/fail", (HttpResponse response) =>
        {
            response.Headers["X-App-Version"] = _version;
            return Results.StatusCode(500);
        });
        _app.MapPost("/count", async () =>
        {
            Interlocked.Increment(ref _posted);
            await Task.Delay(100);
            return "counted";
        });
        _app.MapGet("/hang", async (HttpContext context) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        await _app.StartAsync();
        Address = LoopbackApp.Address(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public Uri Url(string path) => new(Address, path);
}

public sealed class LoadGeneratorTests(LoadTargetApp target) : IClassFixture<LoadTargetApp>
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_request_count_bound_stops_it_after_exactly_that_many_requests()
    {
        await using var load = LoadGenerator.Start(new LoadOptions { Url = target.Url("/ok"), MaxDuration = Long, MaxRequests = 25, Interval = TimeSpan.Zero });

        var result = await load.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        result.StoppedBy.ShouldBe(LoadStopReason.MaxRequests);
        result.Total.ShouldBe(25);
        result.Failed.ShouldBe(0);
        result.Requests.ShouldAllBe(r => r.StatusCode == 200 && r.Ended >= r.Started && r.Body == null);
        result.RequestsPerSecond.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_duration_bound_stops_it_before_the_count_bound()
    {
        await using var load = LoadGenerator.Start(new LoadOptions { Url = target.Url("/ok"), MaxDuration = TimeSpan.FromMilliseconds(300), MaxRequests = 1_000_000 });

        var result = await load.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        result.StoppedBy.ShouldBe(LoadStopReason.MaxDuration);
        // The deadline's timer and the run's stopwatch are different clocks: the timer may fire a tick early.
        result.Elapsed.ShouldBeInRange(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        result.Total.ShouldBeInRange(1, 1_000);
    }

    [Fact]
    public async Task A_test_stops_it_early_and_requests_cut_short_are_not_recorded_as_failures()
    {
        await using var load = LoadGenerator.Start(new LoadOptions { Url = target.Url("/hang"), MaxDuration = Long, MaxRequests = 100, RequestTimeout = Long });
        await Task.Delay(200);

        var result = await load.StopAsync().WaitAsync(TimeSpan.FromSeconds(5));

        result.StoppedBy.ShouldBe(LoadStopReason.Stopped);
        result.Total.ShouldBe(0);
        (await load.StopAsync()).ShouldBeSameAs(result);
    }

    [Fact]
    public async Task Finishing_awaits_the_requests_in_flight_so_each_one_the_app_received_is_recorded_with_its_answer()
    {
        var before = target.Posted;
        await using var load = LoadGenerator.Start(new LoadOptions { Url = target.Url("/count"), Method = HttpMethod.Post, MaxDuration = Long, MaxRequests = 1_000, RequestTimeout = Long });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (target.Posted - before < 8 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        var result = await load.FinishAsync().WaitAsync(TimeSpan.FromSeconds(10));

        result.StoppedBy.ShouldBe(LoadStopReason.Stopped);
        result.Total.ShouldBe(target.Posted - before);
        result.Requests.ShouldAllBe(r => r.StatusCode == 200);
    }

    [Fact]
    public async Task A_500_answer_counts_as_failed_and_still_names_its_version()
    {
        await using var load = LoadGenerator.Start(new LoadOptions { Url = target.Url("/fail"), MaxDuration = Long, MaxRequests = 8, RequestTimeout = Long });

        var result = await load.Completion;

        result.Total.ShouldBe(8);
        result.Failed.ShouldBe(8);
        result.Requests.ShouldAllBe(r => r.StatusCode == 500 && r.Error == null);
        result.VersionCounts.ShouldBe(new Dictionary<string, int> { ["1.0.0"] = 8 });
    }

    [Fact]
    public async Task A_refused_connection_counts_as_failed_and_is_not_thrown()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var load = LoadGenerator.Start(new LoadOptions { Url = new Uri($"http://127.0.0.1:{port}/"), MaxDuration = Long, MaxRequests = 8 });

        var result = await load.Completion;

        result.Total.ShouldBe(8);
        result.Failed.ShouldBe(8);
        result.Requests.ShouldAllBe(r => r.StatusCode == null && r.Error == nameof(HttpRequestException) && r.Version == null);
        result.VersionCounts.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_request_without_an_answer_in_time_counts_as_a_timeout()
    {
        await using var load = LoadGenerator.Start(new LoadOptions { Url = target.Url("/hang"), MaxDuration = Long, MaxRequests = 4, RequestTimeout = TimeSpan.FromMilliseconds(200) });

        var result = await load.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        result.Total.ShouldBe(4);
        result.Requests.ShouldAllBe(r => r.Error == nameof(TimeoutException) && r.Failed);
    }

    [Fact]
    public async Task Version_counts_come_from_the_header_and_show_who_answered_after_a_switch()
    {
        target.Version = "1.0.0";
        try
        {
            await using var load = LoadGenerator.Start(new LoadOptions { Url = target.Url("/ok"), MaxDuration = Long, MaxRequests = 100_000, RecordBodies = true });
            await Task.Delay(200);
            target.Version = "2.0.0";
            var switched = load.Elapsed;
            await Task.Delay(200);

            var result = await load.StopAsync();

            result.VersionCounts.Keys.Order().ShouldBe(["1.0.0", "2.0.0"]);
            result.VersionCounts.Values.Sum().ShouldBe(result.Total);
            result.VersionsAnsweringAfter(switched).ShouldBe(["2.0.0"]);
            result.VersionsAnsweringAfter(TimeSpan.Zero).Count.ShouldBe(2);
            result.Requests.ShouldAllBe(r => r.Body == "hello");
        }
        finally
        {
            target.Version = "1.0.0";
        }
    }

    [Theory]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://example.com/")]
    [InlineData("ftp://127.0.0.1/")]
    public void A_url_off_loopback_is_refused_before_anything_is_sent(string url)
    {
        Should.Throw<ArgumentException>(() => LoadGenerator.Start(new LoadOptions { Url = new Uri(url), MaxDuration = Long, MaxRequests = 1 }))
            .Message.ShouldContain("loopback");
    }
}
