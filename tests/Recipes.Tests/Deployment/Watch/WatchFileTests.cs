using Recipes.Deployment;
using Recipes.Deployment.Notify;
using Recipes.Deployment.Watch;

namespace Recipes.Tests.Deployment.Watch;

/// <summary>An environment's watch: and notify: as environments.yml gives them, checked like its other fields.</summary>
public sealed class WatchFileTests
{
    private static DeploymentEnvironment Dev(string fields) =>
        EnvironmentsFile.Parse("environments.yml", Environment(fields)).Get("dev");

    private static string Environment(string fields) =>
        $"environments:\n  - name: dev\n    artifact: Acme.Shop.Api\n    port: 5080\n    {fields}\n";

    [Fact]
    public void A_watch_is_read_as_written_and_its_unwritten_limits_have_defaults()
    {
        Dev("watch: { duration: 10m, max-error-rate: 0.02, max-p95-ms: 500 }").Watch.ShouldBe(new WatchSettings(TimeSpan.FromMinutes(10), 0.02, 500, 20));
        Dev("watch: { duration: 30s, min-requests: 100 }").Watch.ShouldBe(new WatchSettings(TimeSpan.FromSeconds(30), 0.02, null, 100));
        Dev("approval: false").Watch.ShouldBeNull();
        Dev("approval: false").Notify.ShouldBeNull();
        Dev("notify: { webhook-from-env: DEPLOY_WEBHOOK }").Notify.ShouldBe(new NotifySettings("DEPLOY_WEBHOOK"));
    }

    [Theory]
    [InlineData("watch: 10m", "watch", "'watch' must be a mapping, such as { duration: 10m, max-error-rate: 0.02, max-p95-ms: 500 }.")]
    [InlineData("watch: { duration: ten }", "watch.duration", "'watch.duration' is 'ten', which is not a positive duration")]
    [InlineData("watch: { duration: 0s }", "watch.duration", "'watch.duration' is '0s', which is not a positive duration")]
    [InlineData("watch: { max-error-rate: 2 }", "watch.max-error-rate", "'watch.max-error-rate' is '2'; use a number from 0 to 1.")]
    [InlineData("watch: { max-p95-ms: 500ms }", "watch.max-p95-ms", "'watch.max-p95-ms' is '500ms'; use a number from 1 to 3600000.")]
    [InlineData("watch: { min-requests: 0 }", "watch.min-requests", "'watch.min-requests' is '0'; use a whole number from 1 to 1000000.")]
    [InlineData("watch: { max-error: 0.1 }", "watch.max-error", "unknown key 'watch.max-error'. Did you mean 'watch.max-error-rate'?")]
    [InlineData("notify: { webhook: https://hooks.example/abc }", "notify.webhook", "unknown key 'notify.webhook'. Did you mean 'notify.webhook-from-env'?")]
    [InlineData("notify: { webhook-from-env: https://hooks.example/abc }", "notify.webhook-from-env", "'notify.webhook-from-env' is not an environment variable name")]
    [InlineData("notify: {}", "notify.webhook-from-env", "'notify.webhook-from-env' is missing; add it, for example webhook-from-env: DEPLOY_WEBHOOK.")]
    public void A_wrong_watch_or_notify_names_file_line_and_field(string fields, string field, string problem)
    {
        var error = Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse("environments.yml", Environment(fields)));

        error.Message.ShouldStartWith($"environments.yml:5: {problem}");
        error.Message.ShouldNotContain("hooks.example", Case.Sensitive, "a URL written where the variable's name belongs is a secret: never repeated");
        error.Line.ShouldBe(5);
        error.Field.ShouldBe(field);
    }
}
