using System.Net;
using System.Net.Sockets;
using Recipes.Deployment;
using Recipes.Deployment.Notify;
using Recipes.Deployment.Watch;
using Recipes.Tests.Deployment.Targets;
using Recipes.Tests.Deployment.Watch;

namespace Recipes.Tests.Deployment.Notify;

/// <summary>
/// Deployment events go to the webhook named by notify.webhook-from-env, in order, as JSON; a dead or slow webhook
/// costs one warning line (never its URL) and never fails the deployment.
/// </summary>
public sealed class DeploymentNotifierTests : IDisposable
{
    private const string Digest = DeployerHarness.Digest;

    private readonly DeployerHarness _harness = new("recipes-notify");
    private readonly TrafficTarget _target;
    private readonly string _variable = "RECIPES_TEST_WEBHOOK_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public DeploymentNotifierTests() => _target = new TrafficTarget(LedgerPath);

    public void Dispose()
    {
        System.Environment.SetEnvironmentVariable(_variable, null);
        _harness.Dispose();
    }

    private string LedgerPath => _harness.LedgerPath;

    private DeploymentLedger Ledger => _harness.Ledger;

    [Fact]
    public async Task Every_event_of_a_deployment_its_watch_rolls_back_arrives_in_order_with_its_figures()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        System.Environment.SetEnvironmentVariable(_variable, webhook.Url.ToString());
        await Deployer().DeployAsync(Request("1.0.0", watch: null), CancellationToken.None);
        (_target.RequestsPerRead, _target.ErrorsPerRead) = (40, 20);

        await Should.ThrowAsync<WatchAlertException>(() => Deployer().DeployAsync(Request("2.0.0", new WatchSettings(TimeSpan.FromSeconds(30), 0.02, null, 20)), CancellationToken.None));

        (await webhook.WaitForEventsAsync(6)).ShouldBe(["deploy-started", "deploy-succeeded", "deploy-started", "deploy-succeeded", "watch-alert", "rolled-back"]);
        var alert = webhook.Received[4];
        (alert.GetProperty("environment").GetString(), alert.GetProperty("version").GetString(), alert.GetProperty("digest").GetString()).ShouldBe(("dev", "2.0.0", Digest));
        alert.GetProperty("reason").GetString().ShouldStartWith("watch: 5xx rate 0.5 > 0.02 over 40 requests in ");
        (alert.GetProperty("figures").GetProperty("requests").GetInt64(), alert.GetProperty("figures").GetProperty("serverErrors").GetInt64(), alert.GetProperty("figures").GetProperty("errorRate").GetDouble()).ShouldBe((40, 20, 0.5));
        DateTimeOffset.Parse(alert.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        var rolledBack = webhook.Received[5];
        (rolledBack.GetProperty("version").GetString(), rolledBack.GetProperty("ledgerId").GetInt64()).ShouldBe(("1.0.0", Ledger.History("dev")[0].Id));
        _harness.Log.ShouldContain($"Deployment events of dev go to the webhook from {_variable}");
        _harness.Log.ShouldAllBe(line => !line.Contains(webhook.Token, StringComparison.Ordinal) && !line.Contains(webhook.Url.Authority, StringComparison.Ordinal));
        Ledger.History("dev").ShouldAllBe(row => row.Details == null || !row.Details.Contains(webhook.Token, StringComparison.Ordinal));
    }

    // One way in: a caller of the deployer's plain RollbackAsync (the Rollback target, a harness, a future task) gets
    // the same events as the build does; a second, notified entry point once let such callers post nothing.
    [Fact]
    public async Task A_rollback_by_hand_posts_its_event_naming_who_rolled_back()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        System.Environment.SetEnvironmentVariable(_variable, webhook.Url.ToString());
        await Deployer().DeployAsync(Request("1.0.0", watch: null), CancellationToken.None);
        await Deployer().DeployAsync(Request("2.0.0", watch: null), CancellationToken.None);

        var result = await Deployer().RollbackAsync(Environment(null), _harness.Feed(), "carol", CancellationToken.None);

        (await webhook.WaitForEventsAsync(5)).ShouldBe(["deploy-started", "deploy-succeeded", "deploy-started", "deploy-succeeded", "rolled-back"]);
        var rolledBack = webhook.Received[4];
        (rolledBack.GetProperty("version").GetString(), rolledBack.GetProperty("reason").GetString(), rolledBack.GetProperty("ledgerId").GetInt64())
            .ShouldBe(("1.0.0", "rolled back by carol", result.LedgerId));
    }

    [Fact]
    public async Task A_dead_webhook_costs_one_warning_line_without_its_url_and_the_deployment_succeeds()
    {
        var closed = ClosedPort();
        System.Environment.SetEnvironmentVariable(_variable, $"http://127.0.0.1:{closed}/hook/secret-token");

        var result = await Deployer().DeployAsync(Request("1.0.0", watch: null), CancellationToken.None);

        result.Version.ShouldBe("1.0.0");
        Ledger.Live("dev")!.Version.ShouldBe("1.0.0");
        var warning = _harness.Log.Where(line => line.StartsWith("Warning:", StringComparison.Ordinal)).ShouldHaveSingleItem();
        warning.ShouldBe($"Warning: webhook from {_variable}: the deploy-started event was not delivered (it refused the connection or could not be reached); no more events are posted in this run, and the deployment goes on");
        _harness.Log.ShouldAllBe(line => !line.Contains("secret-token", StringComparison.Ordinal) && !line.Contains($":{closed}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_that_does_not_answer_in_time_is_given_up_and_the_deployment_succeeds()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        webhook.Delay = TimeSpan.FromSeconds(30);
        System.Environment.SetEnvironmentVariable(_variable, webhook.Url.ToString());

        var result = await Deployer(TimeSpan.FromMilliseconds(100)).DeployAsync(Request("1.0.0", watch: null), CancellationToken.None);

        result.Version.ShouldBe("1.0.0");
        _harness.Log.Where(line => line.StartsWith("Warning:", StringComparison.Ordinal)).ShouldAllBe(line => line.StartsWith($"Warning: webhook from {_variable}: ", StringComparison.Ordinal));
        _harness.Log.ShouldContain(line => line.Contains("no answer within 0.1 s", StringComparison.Ordinal) || line.Contains("were not delivered before the deployment ended", StringComparison.Ordinal));
        _harness.Log.ShouldAllBe(line => !line.Contains(webhook.Token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "the variable is not set")]
    [InlineData("hooks.example/no-scheme-secret", "the variable does not hold an http(s) URL")]
    public void A_missing_or_wrong_variable_is_one_warning_and_no_events(string? value, string problem)
    {
        System.Environment.SetEnvironmentVariable(_variable, value);

        DeploymentNotifier.For(Environment(null), _harness.Log.Add).ShouldBeNull();

        _harness.Log.ShouldBe([$"Warning: webhook from {_variable}: {problem}, so no deployment events are posted"]);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="webhookTimeout">The notifier's own (2 s) unless a test wants a slow webhook given up sooner.</param>
    private Deployer Deployer(TimeSpan? webhookTimeout = null) => _harness.Deployer([TrafficTarget.Registration(_target)], webhookTimeout: webhookTimeout);

    private DeploymentRequest Request(string version, WatchSettings? watch) => _harness.Request(Environment(watch), version);

    private DeploymentEnvironment Environment(WatchSettings? watch) =>
        DeployerWatchTests.Environment() with { Watch = watch, Notify = new NotifySettings(_variable) };
}
