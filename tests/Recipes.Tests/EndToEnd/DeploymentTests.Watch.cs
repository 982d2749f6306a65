using System.Text.Json;
using Recipes.Deployment;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

public sealed partial class ServiceReleasesFixture
{
    /// <summary>The variable the watched environment's webhook URL comes from.</summary>
    public const string WebhookVariable = "ACME_DEPLOY_WEBHOOK";

    /// <summary>An environment watched for a minute after each deployment, with a webhook; blue-green without grace.</summary>
    private string WatchedEnvironment()
    {
        Ports["watched"] = PublicPorts.Next();
        return $$"""
              - name: watched
                artifact: Acme.Shop.Api
                port: {{Ports["watched"]}}
                strategy: { kind: blue-green, grace-period: 0s }
                health: { path: /health, timeout: 60s }
                smoke: [ { path: /version } ]
                watch: { duration: 60s, max-error-rate: 0.05, min-requests: 20 }
                notify: { webhook-from-env: {{WebhookVariable}} }

            """;
    }
}

public sealed partial class DeploymentTests
{
    [Fact]
    public async Task A_release_that_turns_bad_after_going_live_is_rolled_back_by_its_watch_and_counted_as_a_failure_with_its_recovery_time()
    {
        var port = service.Ports["watched"];
        await using var webhook = await WebhookReceiver.StartAsync();
        service.Repository.Environment[ServiceReleasesFixture.WebhookVariable] = webhook.Url.ToString();
        try
        {
            var first = service.Deploy("watched", service.V1, "--watch=0s");
            first.ExitCode.ShouldBe(0, first.All);
            first.Output.ShouldContain("The watch of watched is skipped for this run (--watch=0s)");

            await using var load = LoadGenerator.Start(ServiceReleasesFixture.Load(port, "/version", workers: 2));
            var deploying = Task.Run(() => service.Deploy("watched", service.V3));
            await WaitUntilLiveAsync(service.V3.Version, deploying);

            // Five seconds of good answers from v3 (the watch sees them), then it turns bad.
            await Task.Delay(TimeSpan.FromSeconds(5));
            File.WriteAllText(Path.Combine(service.StateDirectory, "watched", "data", "turns-bad"), "flipped by the test");
            var deploy = await deploying;
            await Task.Delay(500);
            var traffic = await load.StopAsync();

            deploy.ExitCode.ShouldNotBe(0);
            OneLineError.LineOf(deploy.Error).ShouldMatch($@"^Error: .*watched: {Escaped(service.V3.Version)} rolled back to {Escaped(service.V1.Version)} by its watch \(watch: 5xx rate [0-9.]+ > 0\.05 over [0-9]+ requests in [0-9]+ s; ledger #[0-9]+, rollback #[0-9]+\)$");
            deploy.Output.ShouldContain($"Watching {service.V3.Version} on watched for 1m (5xx rate at most 0.05, judged from 20 requests)");
            deploy.All.ShouldNotContain(webhook.Token);
            deploy.All.ShouldContain($"Deployment events of watched go to the webhook from {ServiceReleasesFixture.WebhookVariable}");
            var rows = service.Ledger.History("watched");
            (rows[0].Kind, rows[0].Version, rows[0].Outcome, rows[0].Who).ShouldBe((DeploymentKind.Rollback, service.V1.Version, DeploymentOutcome.Succeeded, "watch"));
            (rows[1].Version, rows[1].Outcome).ShouldBe((service.V3.Version, DeploymentOutcome.RolledBack));
            rows[1].Details.ShouldStartWith("watch: 5xx rate ");
            traffic.Requests.Last().Version.ShouldNotBeNull().ShouldStartWith(service.V1.Version, Case.Sensitive, "v1 serves again after the rollback");
            traffic.Requests.Last().StatusCode.ShouldBe(200);

            var metrics = service.Repository.Build("--target=Metrics", "--environment=watched", "--format=json");
            metrics.ExitCode.ShouldBe(0, metrics.All);
            var current = JsonDocument.Parse(File.ReadAllText(Path.Combine(service.Repository.Repository, "artifacts", "metrics", "watched.json"))).RootElement.GetProperty("current");
            var failures = current.GetProperty("changeFailureRate");
            (failures.GetProperty("failed").GetInt32(), failures.GetProperty("deployments").GetInt32()).ShouldBe((1, 2));
            var recovery = current.GetProperty("recoveryTime");
            recovery.GetProperty("recoveries").GetInt32().ShouldBe(1);
            recovery.GetProperty("medianSeconds").GetDouble().ShouldBe(Math.Round((rows[0].Ended!.Value - rows[1].Ended!.Value).TotalSeconds));

            (await webhook.WaitForEventsAsync(6)).ShouldBe(["deploy-started", "deploy-succeeded", "deploy-started", "deploy-succeeded", "watch-alert", "rolled-back"]);
        }
        finally
        {
            service.Repository.Environment.Remove(ServiceReleasesFixture.WebhookVariable);
        }
    }

    private static string Escaped(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    /// <summary>Waits until the ledger records <paramref name="version"/> as live in the watched environment (its deployment succeeded).</summary>
    private async Task WaitUntilLiveAsync(string version, Task<ProcessResult> deploying)
    {
        while (service.Ledger.History("watched").FirstOrDefault() is not { Outcome: DeploymentOutcome.Succeeded } row || row.Version != version)
        {
            if (deploying.IsCompleted)
            {
                var result = await deploying;
                throw new ShouldAssertException($"The deployment of {version} ended before it went live: {result.All}");
            }

            await Task.Delay(200);
        }
    }
}
