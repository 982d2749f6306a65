using Recipes.Deployment.Hosts;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Hosts;

/// <summary>The balancer's access log as a canary step reads it: per upstream server, from an offset on.</summary>
public sealed class NginxAccessLogTests
{
    [Fact]
    public void A_line_names_the_server_that_answered_last_its_status_and_latency()
    {
        NginxAccessLog.Parse("10.0.0.1:8081 200 0.004").ShouldBe(new UpstreamAnswer("10.0.0.1:8081", 200, 4));
        NginxAccessLog.Parse("10.0.0.1:8081, 10.0.0.2:8081 502 0.000, 0.012").ShouldBe(new UpstreamAnswer("10.0.0.2:8081", 502, 12));
        NginxAccessLog.Parse("- 400 -").ShouldBeNull("nginx answered itself");
        NginxAccessLog.Parse("10.0.0.1:80").ShouldBeNull("a cut line");
    }

    [Fact]
    public void Metrics_count_only_the_picked_servers_and_only_lines_after_the_offset()
    {
        using var temp = new TempDirectory();
        var log = temp.Combine("access.log");
        File.WriteAllText(log, "10.0.0.1:8082 500 0.001\n");
        var offset = NginxAccessLog.Length(log);
        File.AppendAllLines(log, [
            .. Enumerable.Range(1, 20).Select(i => $"10.0.0.1:8081 200 0.0{i:00}"),
            "10.0.0.1:8082 500 0.002", "10.0.0.2:8082 200 0.003", "- 499 -",
        ]);

        var answers = NginxAccessLog.ReadSince(log, offset);
        var stable = NginxAccessLog.Metrics("stable", answers, server => server.EndsWith(":8081", StringComparison.Ordinal));
        var canary = NginxAccessLog.Metrics("canary", answers, server => server.EndsWith(":8082", StringComparison.Ordinal));

        (stable.Requests, stable.ServerErrors).ShouldBe((20L, 0L));
        stable.P95LatencyMs.ShouldNotBeNull().ShouldBe(19, tolerance: 0.001);
        (canary.Requests, canary.ServerErrors, canary.ServerErrorRate).ShouldBe((2L, 1L, 0.5));
    }
}
