using System.Text.Json;
using Recipes.Deployment;

namespace Recipes.Tests.EndToEnd;

public sealed partial class DeploymentTests
{
    [Fact]
    public async Task The_visit_counter_in_the_data_folder_loses_no_visit_through_a_blue_green_deploy_and_a_rollback_under_load()
    {
        var port = service.Ports["visits"];
        service.Deployed("visits", service.V1);

        // A generous timeout: a request given up on by the client may still have been counted.
        await using var load = LoadGenerator.Start(ServiceReleasesFixture.Load(port, "/visits") with { Method = HttpMethod.Post, RequestTimeout = TimeSpan.FromSeconds(30) });
        await Task.Delay(500);
        service.Deployed("visits", service.V2);
        var rollback = service.Repository.Build("--target=Rollback", "--environment=visits");
        rollback.ExitCode.ShouldBe(0, rollback.All);
        await Task.Delay(500);
        var traffic = await load.FinishAsync();

        var counted = traffic.Requests.Count(r => r.StatusCode == 200);
        var answered = traffic.Requests.Where(r => r.StatusCode is not null).Select(r => r.StatusCode).Distinct();
        answered.ShouldBe([200], $"{traffic.Total} requests, {traffic.Failed} failed");
        counted.ShouldBeGreaterThan(50);
        traffic.VersionCounts.Keys.Select(ServiceReleasesFixture.Plain).ShouldBe([service.V1.Version, service.V2.Version], ignoreOrder: true);
        (await VisitsAsync(port)).ShouldBe(counted, $"{traffic.Total} requests, {traffic.Failed} without an answer");
        service.Ledger.History("visits")[0].Kind.ShouldBe(DeploymentKind.Rollback);
        File.ReadAllText(Path.Combine(service.StateDirectory, "visits", "data", "visits.count")).ShouldBe(counted.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<long> VisitsAsync(int port)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var body = await http.GetStringAsync($"http://127.0.0.1:{port}/visits");
        return JsonDocument.Parse(body).RootElement.GetProperty("visits").GetInt64();
    }
}
