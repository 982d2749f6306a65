using Recipes.Deployment;
using Recipes.Tests.EndToEnd;

namespace Recipes.Tests.Deployment;

/// <summary>The canary's minimum of requests and its synthetic probes, as environments.yml gives them.</summary>
public sealed class CanaryStrategyFileTests
{
    private static CanaryStrategy Canary(string strategy) =>
        EnvironmentsFile.Parse("environments.yml", Environment(strategy)).Get("dev").Strategy.ShouldBeOfType<CanaryStrategy>();

    private static string Environment(string strategy) =>
        $"environments:\n  - name: dev\n    artifact: Acme.Shop.Api\n    port: 5080\n    strategy: {strategy}\n";

    [Fact]
    public void A_canary_needs_50_requests_per_step_and_sends_no_probes_unless_told()
    {
        var canary = Canary("{ kind: canary }");

        canary.MinRequests.ShouldBe(50);
        canary.Probe.ShouldBeNull();
    }

    [Fact]
    public void Min_requests_and_probes_are_read_as_written()
    {
        Canary("{ kind: canary, min-requests: 200 }").MinRequests.ShouldBe(200);
        Canary("{ kind: canary, probe: true }").Probe.ShouldBe(new CanaryProbe(null, CanaryProbe.DefaultRequestsPerSecond));
        Canary("{ kind: canary, probe: false }").Probe.ShouldBeNull();
        Canary("{ kind: canary, probe: { path: /health, rate: 25/s } }").Probe.ShouldBe(new CanaryProbe("/health", 25));
        Canary("{ kind: canary, probe: { rate: 5 } }").Probe.ShouldBe(new CanaryProbe(null, 5));
        Canary("{ kind: canary, probe: { path: /ping } }").Probe.ShouldBe(new CanaryProbe("/ping", CanaryProbe.DefaultRequestsPerSecond));
    }

    [Fact]
    public void The_latency_floor_is_25_ms_unless_written()
    {
        Canary("{ kind: canary }").P95FloorMs.ShouldBe(25);
        Canary("{ kind: canary, p95-floor-ms: 0 }").P95FloorMs.ShouldBe(0);
        Canary("{ kind: canary, p95-floor-ms: 2.5 }").P95FloorMs.ShouldBe(2.5);
    }

    [Fact]
    public void The_sample_services_staging_canary_probes_itself_so_a_promotion_without_users_is_judged()
    {
        var staging = EnvironmentsFile.Load(Path.Combine(RepositoryLayout.Root, "recipes", "service", "environments.yml")).Get("staging");

        var canary = staging.Strategy.ShouldBeOfType<CanaryStrategy>();
        canary.Probe.ShouldBe(new CanaryProbe(null, 10));
        (canary.Pause.TotalSeconds * canary.Probe!.RequestsPerSecond).ShouldBeGreaterThan(canary.MinRequests);
    }

    [Theory]
    [InlineData("{ kind: canary, min-requests: 0 }", "strategy.min-requests", "'strategy.min-requests' is '0'; use a whole number from 1 to 1000000.")]
    [InlineData("{ kind: canary, min-requests: many }", "strategy.min-requests", "'strategy.min-requests' is 'many'; use a whole number from 1 to 1000000.")]
    [InlineData("{ kind: canary, probe: yes-please }", "strategy.probe", "'strategy.probe' is 'yes-please'; write probe: true or probe: { path: /health, rate: 10/s }.")]
    [InlineData("{ kind: canary, probe: { rate: 0/s } }", "strategy.probe.rate", "'strategy.probe.rate' is '0/s'; use requests per second from 1 to 1000, such as rate: 10/s.")]
    [InlineData("{ kind: canary, probe: { rate: 10/min } }", "strategy.probe.rate", "'strategy.probe.rate' is '10/min'; use requests per second from 1 to 1000")]
    [InlineData("{ kind: canary, probe: { path: health } }", "strategy.probe.path", "'strategy.probe.path' is 'health'; a request path starts with '/'")]
    [InlineData("{ kind: canary, probe: { pth: /health } }", "strategy.probe.pth", "unknown key 'strategy.probe.pth'. Did you mean 'strategy.probe.path'?")]
    [InlineData("{ kind: canary, p95-floor-ms: 25ms }", "strategy.p95-floor-ms", "'strategy.p95-floor-ms' is '25ms'; use a number from 0 to 60000.")]
    [InlineData("{ kind: canary, p95-floor-ms: -1 }", "strategy.p95-floor-ms", "'strategy.p95-floor-ms' is '-1'; use a number from 0 to 60000.")]
    [InlineData("{ kind: canary, min-request: 10 }", "strategy.min-request", "unknown key 'strategy.min-request'. Did you mean 'strategy.min-requests'?")]
    public void A_wrong_minimum_or_probe_names_file_line_and_field(string strategy, string field, string problem)
    {
        var error = Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse("environments.yml", Environment(strategy)));

        error.Message.ShouldStartWith($"environments.yml:5: {problem}");
        error.Line.ShouldBe(5);
        error.Field.ShouldBe(field);
    }
}
