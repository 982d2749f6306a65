using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Recipes.Deployment.Routing;
using Recipes.Tests.Support;
using Xunit.Abstractions;

namespace Recipes.Tests.Deployment.Routing;

/// <summary>
/// The router's metrics in Prometheus' text format, read by Prometheus' own parser (<c>promtool check metrics</c>,
/// which also lints names, help and types), and the figures in it against the traffic the test sent.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RouterPrometheusTests(RouterFixture router, ITestOutputHelper output) : IClassFixture<RouterFixture>
{
    [Fact]
    public async Task Metrics_in_Prometheus_format_pass_promtool_and_count_requests_errors_and_latency_per_release_and_slot()
    {
        await router.Admin.ApplyAsync(RouteConfig.AllTo("blue-7", router.Blue.Address));
        await SendAsync(20);
        await router.Admin.ApplyAsync(RouteConfig.AllTo("green-8", router.Flaky.Address));
        await SendAsync(40);

        var text = await ScrapeAsync();
        output.WriteLine(text);

        var check = Promtool(text);
        check.ExitCode.ShouldBe(0, check.Output);
        check.Output.Trim().ShouldBeEmpty();
        Value(text, "recipes_router_requests_total", "blue-7", "blue", "7").ShouldBe(20);
        Value(text, "recipes_router_server_errors_total", "blue-7", "blue", "7").ShouldBe(0);
        Value(text, "recipes_router_requests_total", "green-8", "green", "8").ShouldBe(40);
        // The flaky backend answers every 4th request with a 500.
        Value(text, "recipes_router_server_errors_total", "green-8", "green", "8").ShouldBe(10);
        Value(text, "recipes_router_request_duration_seconds_count", "green-8", "green", "8").ShouldBe(40);
        Value(text, "recipes_router_request_duration_seconds_bucket", "green-8", "green", "8", ",le=\"+Inf\"").ShouldBe(40);
        Regex.Matches(text, "^recipes_router_request_duration_seconds_bucket\\{destination=\"blue-7\"", RegexOptions.Multiline).Count.ShouldBe(12);
    }

    [Fact]
    public async Task The_Prometheus_endpoint_needs_the_admin_token()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(router.AdminAddress, "/metrics/prometheus"));

        ((int)response.StatusCode).ShouldBe(401);
    }

    private async Task SendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await router.Public.GetAsync("/prometheus");
        }
    }

    private async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(router.AdminAddress, "/metrics/prometheus"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(router.StateDirectory, RouterClient.TokenFileName)).Trim());
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        return await response.Content.ReadAsStringAsync();
    }

    private static (int ExitCode, string Output) Promtool(string text)
    {
        var start = new ProcessStartInfo(DebianPackages.Require("promtool", "prometheus"))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var promtool = Process.Start(start)!;
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        promtool.StandardInput.Write(text);
        promtool.StandardInput.Close();
        promtool.WaitForExit(TimeSpan.FromMinutes(1)).ShouldBeTrue("promtool check metrics did not finish within a minute");
        return (promtool.ExitCode, stdout.Result + stderr.Result);
    }

    private static long Value(string text, string name, string destination, string slot, string release, string extra = "")
    {
        var line = $"{name}{{destination=\"{destination}\",slot=\"{slot}\",release=\"{release}\"{extra}}} ";
        var sample = text.Split('\n').SingleOrDefault(l => l.StartsWith(line, StringComparison.Ordinal));
        sample.ShouldNotBeNull($"no sample {line}in:\n{text}");
        return long.Parse(sample[line.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
