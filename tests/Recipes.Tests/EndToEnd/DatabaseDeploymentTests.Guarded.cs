using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Recipes.Deployment;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>Issue 16's shown points 3 and 4: two releases that must never take traffic, and what stops each.</summary>
public sealed partial class DatabaseDeploymentTests
{
    // Shown 3 (PostgreSQL, where transactional DDL matters most, and SQLite) and 4 (PostgreSQL) in one sequence on
    // v1's database: the half-failing release first (its rollback leaves the schema as v1 had it), then the one whose
    // expand applies and breaks v1's writes, which only the N-1 check's smoke write can see.
    [Fact]
    public async Task An_expand_failing_half_way_and_an_expand_that_breaks_v1_stop_before_any_traffic_moves()
    {
        var v1 = shop.Deploy("shop-guarded", shop.V1);
        v1.ExitCode.ShouldBe(0, v1.All);
        v1.All.ShouldContain($"Started Acme.Shop.Api {shop.V1.Version} in slot ", Case.Sensitive, "what a started release logs, which the failed deploys below must not");
        await using (var writes = LoadGenerator.Start(Load(shop.GuardedPort, HttpMethod.Post)))
        await using (var reads = LoadGenerator.Start(Load(shop.GuardedPort, HttpMethod.Get)))
        {
            var halfFailing = shop.Deploy("shop-guarded", shop.HalfFailing);

            HalfFailed(halfFailing, "shop-guarded", "relation \"catalog\" does not exist");
            var written = await writes.FinishAsync();
            var read = await reads.FinishAsync();
            (written.Failed, read.Failed).ShouldBe((0, 0), $"{Failures(written)} {Failures(read)}");
            written.VersionCounts.Keys.Concat(read.VersionCounts.Keys).Select(ServiceReleasesFixture.Plain).Distinct().ShouldBe([shop.V1.Version], "v1 answered every request during the failed deploy");
        }

        (await ColumnsAsync(new NpgsqlConnection(shop.GuardedDatabase))).ShouldBe(["id", "name"], "the script's transaction rolled back its first statement's column");
        await V1ServesAsync(shop.GuardedPort);

        var breaksV1 = shop.Deploy("shop-guarded", shop.BreaksV1);

        breaksV1.ExitCode.ShouldNotBe(0, breaksV1.All);
        OneLineError.LineOf(breaksV1.Error).ShouldMatch(
            $@"^Error: Task 'Deploy' failed: Compatibility check failed: the live release {Regex(shop.V1.Version)} \(slot \w+\) answers 500 to its smoke check GET /items/write-check \(expected 200\) on the schema expanded by expand/0004_name_length\.postgresql\.sql; nothing switched\. ");
        breaksV1.All.ShouldNotContain($"Started Acme.Shop.Api {shop.BreaksV1.Version}");
        await V1ServesAsync(shop.GuardedPort);
        using (var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            // The expand stays applied (fix forward): v1's writes now fail, which is what the check caught before any traffic moved.
            (await http.PostAsync($"http://127.0.0.1:{shop.GuardedPort}/items", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.InternalServerError);
        }

        var history = shop.Ledger.History("shop-guarded");
        history.Select(row => (row.Version, row.Outcome)).ShouldBe([
            (shop.BreaksV1.Version, DeploymentOutcome.Failed), (shop.HalfFailing.Version, DeploymentOutcome.Failed), (shop.V1.Version, DeploymentOutcome.Succeeded)]);
        history[0].Details.ShouldNotBeNull().ShouldContain("smoke check GET /items/write-check");
        shop.Repository.Build("--target=History", "--environment=shop-guarded").Output.ShouldContain($"Expand script expand/{ShopDatabaseFixture.HalfFailingScript} failed");

        // The same half-failing release on SQLite, whose DDL is transactional too.
        var sqliteV1 = shop.Deploy("shop-guarded-sqlite", shop.V1);
        sqliteV1.ExitCode.ShouldBe(0, sqliteV1.All);
        HalfFailed(shop.Deploy("shop-guarded-sqlite", shop.HalfFailing), "shop-guarded-sqlite", "no such table: catalog");
        await V1ServesAsync(shop.GuardedSqlitePort);
        var file = Recipes.Deployment.Database.DatabaseSettings.DefaultSqliteFile(shop.Repository.StateDirectory, "shop-guarded-sqlite");
        (await ColumnsAsync(new SqliteConnection($"Data Source={file};Pooling=false"))).ShouldBe(["id", "name"], "rolled back on SQLite too");
    }

    // Shown 2 on PostgreSQL: Contract while the canary gives v2 half of the traffic and v1 the other half (its pause is
    // long enough for one Contract run to start inside it) is refused naming v1's slot; after v2 is at 100% it applies.
    [Fact]
    public async Task On_postgresql_contract_is_refused_while_v1_serves_half_the_canary_and_applies_after()
    {
        var v1 = shop.Deploy("shop-pg-canary", shop.V1);
        v1.ExitCode.ShouldBe(0, v1.All);
        await using var reads = LoadGenerator.Start(Load(shop.CanaryPort, HttpMethod.Get));
        var output = new StringBuilder();
        using var deploy = shop.Repository.Start(output, "--target=Deploy", "--environment=shop-pg-canary", $"--deploy-version={shop.V2.Version}", $"--manifest={shop.V2.Manifest}");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Snapshot(output).Contains("Canary at 50%", StringComparison.Ordinal))
        {
            deploy.HasExited.ShouldBeFalse(Snapshot(output));
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(4), Snapshot(output));
            await Task.Delay(100);
        }

        var refused = shop.Repository.Build("--target=Contract", "--environment=shop-pg-canary");

        refused.ExitCode.ShouldNotBe(0, refused.All);
        OneLineError.LineOf(refused.Error).ShouldMatch(
            $@"^Error: Task 'Contract' failed: Contract refused: slot \w+ of shop-pg-canary runs Acme\.Shop\.Api {Regex(shop.V1.Version)}, older than {Regex(shop.V2.Version)}, which applied expand/0002_display_name\.postgresql\.sql; contract/0002_display_name\.postgresql\.sql would break it\. ");
        await deploy.WaitForExitAsync();
        deploy.ExitCode.ShouldBe(0, Snapshot(output));
        var read = await reads.FinishAsync();
        read.Failed.ShouldBe(0, Failures(read));
        var applied = shop.Repository.Build("--target=Contract", "--environment=shop-pg-canary");
        applied.ExitCode.ShouldBe(0, applied.All);
        applied.All.ShouldContain("contracted the database: contract/0002_display_name.postgresql.sql");
    }

    /// <summary>The deploy of the half-failing release: one line naming the script, never started, a Failed row naming it.</summary>
    private void HalfFailed(ProcessResult deploy, string environment, string reason)
    {
        deploy.ExitCode.ShouldNotBe(0, deploy.All);
        var line = OneLineError.LineOf(deploy.Error);
        line.ShouldStartWith($"Error: Task 'Deploy' failed: Expand script expand/{ShopDatabaseFixture.HalfFailingScript} failed and was rolled back, so the schema is as before it: ");
        line.ShouldContain(reason);
        line.ShouldContain($"{shop.HalfFailing.Version} was not started and no traffic moved");
        deploy.All.ShouldNotContain($"Started Acme.Shop.Api {shop.HalfFailing.Version}");
        var row = shop.Ledger.History(environment)[0];
        (row.Version, row.Outcome).ShouldBe((shop.HalfFailing.Version, DeploymentOutcome.Failed));
        row.Details.ShouldNotBeNull().ShouldContain($"expand/{ShopDatabaseFixture.HalfFailingScript}");
    }

    /// <summary>The columns of table items, in order, on either engine (the connection is disposed).</summary>
    private static async Task<List<string>> ColumnsAsync(DbConnection owned)
    {
        await using var connection = owned;
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = connection is NpgsqlConnection
            ? "SELECT column_name FROM information_schema.columns WHERE table_name = 'items' ORDER BY ordinal_position"
            : "SELECT name FROM pragma_table_info('items') ORDER BY cid";
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<string>();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private async Task V1ServesAsync(int port)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        (await http.GetStringAsync($"http://127.0.0.1:{port}/version")).ShouldContain(shop.V1.Version, Case.Sensitive, "v1 serves on");
    }
}
