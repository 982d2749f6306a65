using System.Text;
using System.Text.Json;
using Npgsql;
using Recipes.Deployment;
using Recipes.Tests.Support;
using Xunit.Abstractions;

namespace Recipes.Tests.EndToEnd;

/// <summary>Issue 16's parallel change through the real ./build.sh, on SQLite and on PostgreSQL, under reads and writes.</summary>
[Trait("Category", "Slow")]
public sealed partial class DatabaseDeploymentTests(ShopDatabaseFixture shop, ITestOutputHelper output) : IClassFixture<ShopDatabaseFixture>
{
    // Shown points 1 (SQLite) and 2 of issue 16. The writes once lost here failed with "database is locked": see
    // MigrationRunnerTests.A_sqlite_database_it_migrates_takes_one_release_s_writes_while_another_release_reads.
    [Fact]
    public async Task V1_to_v2_under_reads_and_writes_loses_nothing_and_contract_waits_for_the_last_v1_slot()
    {
        var v1 = shop.Deploy("shop", shop.V1);
        v1.ExitCode.ShouldBe(0, v1.All);
        output.WriteLine(MigrationsBench.Line("sqlite deploy v1", v1));
        ProcessResult? contractedDuringDeploy = null;
        var refusals = new List<string>();
        var v2 = await SwitchUnderLoadAsync("shop", shop.Port, async deploy =>
        {
            while (!deploy.IsCompleted)
            {
                var contract = shop.Repository.Build("--target=Contract", "--environment=shop");
                if (contract.ExitCode != 0)
                {
                    refusals.Add(OneLineError.LineOf(contract.Error));
                }
                else if (contract.All.Contains("contracted the database", StringComparison.Ordinal))
                {
                    // One that waited for the deploy's lock may apply once v1 is stopped; v1's writes (into 'name',
                    // which it drops) failing would show in the load had it applied earlier.
                    contractedDuringDeploy = contract;
                }

                await Task.Delay(500);
            }
        });
        v2.All.ShouldContain("expanded the database: expand/0002_display_name.sqlite.sql");
        v2.All.ShouldContain("passes its health check and 3 smoke check(s) on the expanded schema");
        output.WriteLine(MigrationsBench.Line("sqlite deploy v2", v2));
        refusals.ShouldNotBeEmpty("Contract ran while v1 still had half the traffic");
        refusals[0].ShouldMatch($@"^Error: Task 'Contract' failed: Contract refused: slot \w+ of shop runs Acme.Shop.Api {Regex(shop.V1.Version)}, older than {Regex(shop.V2.Version)}, which applied expand/0002_display_name.sqlite.sql; contract/0002_display_name.sqlite.sql would break it\. ");

        var applied = contractedDuringDeploy ?? shop.Repository.Build("--target=Contract", "--environment=shop");
        await ContractedAsync("shop", shop.Port, applied, "sqlite");
        shop.Ledger.History("shop")[0].Kind.ShouldBe(DeploymentKind.Contract);
    }

    // Shown points 1 on PostgreSQL and 7: the connection string, with its password, is in no output, log or state file.
    [Fact]
    public async Task On_postgresql_v1_to_v2_under_reads_and_writes_loses_nothing_and_the_password_is_nowhere()
    {
        var v1 = shop.Deploy("shop-pg", shop.V1);
        v1.ExitCode.ShouldBe(0, v1.All);
        output.WriteLine(MigrationsBench.Line("postgresql deploy v1", v1));
        var v2 = await SwitchUnderLoadAsync("shop-pg", shop.PostgresqlPort, _ => Task.CompletedTask);
        v2.All.ShouldContain("expanded the database: expand/0002_display_name.postgresql.sql");
        v2.All.ShouldContain("passes its health check and 3 smoke check(s) on the expanded schema");
        output.WriteLine(MigrationsBench.Line("postgresql deploy v2", v2));
        var applied = shop.Repository.Build("--target=Contract", "--environment=shop-pg");
        await ContractedAsync("shop-pg", shop.PostgresqlPort, applied, "postgresql");

        var migrations = shop.Repository.Build("--target=Migrations", "--environment=shop-pg");
        foreach (var result in (ProcessResult[])[v1, v2, applied, migrations])
        {
            result.All.ShouldNotContain(PostgresServer.Password);
        }

        foreach (var file in Directory.EnumerateFiles(shop.Repository.StateDirectory, "*", SearchOption.AllDirectories))
        {
            System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(file)).ShouldNotContain(PostgresServer.Password, customMessage: file);
        }
    }

    // Shown point 6: kill -9 of the deploy while its expand script runs. The test holds a lock on the table the script
    // alters, so the kill lands inside the migration's transaction whatever the machine's speed; the transaction never
    // commits, the journal has no row for the script, and the next deploy applies it and completes.
    [Fact]
    public async Task A_deploy_killed_during_its_migration_leaves_v1_serving_and_the_next_deploy_completes_it()
    {
        var v1 = shop.Deploy("shop-killed", shop.V1);
        v1.ExitCode.ShouldBe(0, v1.All);
        await using (var holder = new NpgsqlConnection(shop.KilledDatabase))
        {
            await holder.OpenAsync();
            await using var locking = await holder.BeginTransactionAsync();
            await Execute(holder, "LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
            var output = new StringBuilder();
            using var deploy = shop.Repository.Start(output, "--target=Deploy", "--environment=shop-killed", $"--deploy-version={shop.V2.Version}", $"--manifest={shop.V2.Manifest}");
            var waited = System.Diagnostics.Stopwatch.StartNew();
            // pg_stat_activity is read once per transaction: the holder's own would never see the script wait.
            await using var watcher = new NpgsqlConnection(shop.KilledDatabase);
            await watcher.OpenAsync();
            while (await Scalar(watcher, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%display_name%'") == 0)
            {
                deploy.HasExited.ShouldBeFalse(Snapshot(output));
                waited.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(4), Snapshot(output));
                await Task.Delay(50);
            }

            deploy.Kill(entireProcessTree: true);
            await deploy.WaitForExitAsync();
            Snapshot(output).ShouldContain("0002_display_name.postgresql.sql", Case.Sensitive, "the deploy was killed in that script");
            await locking.RollbackAsync();
        }

        await using (var check = new NpgsqlConnection(shop.KilledDatabase))
        {
            await check.OpenAsync();
            (await Scalar(check, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'display_name'")).ShouldBe(0, "the killed script's transaction never committed");
        }

        using (var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            (await http.GetStringAsync($"http://127.0.0.1:{shop.KilledPort}/version")).ShouldContain(shop.V1.Version, Case.Sensitive, "v1 serves on");
        }

        var again = shop.Deploy("shop-killed", shop.V2);

        again.ExitCode.ShouldBe(0, again.All);
        again.All.ShouldContain("never finished");
        again.All.ShouldContain("expanded the database: expand/0002_display_name.postgresql.sql");
        shop.Ledger.History("shop-killed").Select(row => (row.Version, row.Outcome)).ShouldBe([
            (shop.V2.Version, DeploymentOutcome.Succeeded), (shop.V2.Version, DeploymentOutcome.Failed), (shop.V1.Version, DeploymentOutcome.Succeeded)]);
        var migrations = shop.Repository.Build("--target=Migrations", "--environment=shop-killed");
        migrations.All.ShouldContain("expand: applied expand/0001_items.postgresql.sql, expand/0002_display_name.postgresql.sql; pending none");
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    // Shown point 5: the lint of the commit stage refuses a destructive expand script, naming script, line and rule.
    [Fact]
    public void A_destructive_expand_script_fails_the_commit_stage()
    {
        var script = Path.Combine("src", "Acme.Shop.Api", "Migrations", "expand", "0003_drop_name.sql");
        shop.Repository.Write(script, "-- name is v1's column\nALTER TABLE items DROP COLUMN name;\n");
        try
        {
            var commitStage = shop.Repository.Build("--target=CommitStage");

            commitStage.ExitCode.ShouldNotBe(0, commitStage.All);
            commitStage.All.ShouldContain("src/Acme.Shop.Api/Migrations/expand/0003_drop_name.sql:2: dropping-column");
        }
        finally
        {
            File.Delete(Path.Combine(shop.Repository.Repository, script));
        }
    }

    /// <summary>Deploys v2 to <paramref name="environment"/> under writes and reads, with <paramref name="during"/> beside it; nothing may fail or be lost.</summary>
    private async Task<ProcessResult> SwitchUnderLoadAsync(string environment, int port, Func<Task, Task> during)
    {
        await using var writes = LoadGenerator.Start(Load(port, HttpMethod.Post));
        await using var reads = LoadGenerator.Start(Load(port, HttpMethod.Get));
        var deploy = Task.Run(() => shop.Deploy(environment, shop.V2));
        await during(deploy);
        var v2 = await deploy;
        v2.ExitCode.ShouldBe(0, v2.All);
        var written = await writes.FinishAsync();
        var read = await reads.FinishAsync();
        (written.Failed, read.Failed).ShouldBe((0, 0), $"{written.Total} writes, {read.Total} reads; failed: {Failures(written)} {Failures(read)}; deploy: {v2.All}; app logs: {AppErrors()}");
        written.VersionCounts.Keys.Select(ServiceReleasesFixture.Plain).ShouldBe([shop.V1.Version, shop.V2.Version], ignoreOrder: true);
        (await CountAsync(port)).ShouldBe(written.Requests.Count(request => request.StatusCode == 200), "every row written during the switch is there, readable by v2's column");
        return v2;
    }

    /// <summary>Contract applied, v2 writes on, and Migrations lists every script of the engine as applied.</summary>
    private async Task ContractedAsync(string environment, int port, ProcessResult applied, string engine)
    {
        applied.ExitCode.ShouldBe(0, applied.All);
        applied.All.ShouldContain($"contracted the database: contract/0002_display_name.{engine}.sql");
        output.WriteLine(MigrationsBench.Line($"{engine} contract v3", applied));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        (await http.PostAsync($"http://127.0.0.1:{port}/items", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, "v2 writes on after the contract");
        var migrations = shop.Repository.Build("--target=Migrations", $"--environment={environment}");
        migrations.ExitCode.ShouldBe(0, migrations.All);
        migrations.All.ShouldContain($"expand: applied expand/0001_items.{engine}.sql, expand/0002_display_name.{engine}.sql; pending none");
        migrations.All.ShouldContain($"contract: applied contract/0002_display_name.{engine}.sql; pending none");
    }

    private static LoadOptions Load(int port, HttpMethod method) =>
        ServiceReleasesFixture.Load(port, "/items", workers: 2) with { Method = method, RecordBodies = true, RequestTimeout = TimeSpan.FromSeconds(30), MaxDuration = TimeSpan.FromMinutes(5) };

    private static string Failures(LoadResult result) => string.Join(" | ", result.Requests.Where(request => request.Failed)
        .Select(request => $"{request.Started.TotalSeconds:0.000}-{request.Ended.TotalSeconds:0.000} s {request.StatusCode} {request.Version} {request.Error} {request.Body}"));

    private string AppErrors() => string.Join("\n", Directory.EnumerateFiles(shop.Repository.StateDirectory, "*.log", SearchOption.AllDirectories)
        .SelectMany(file => File.ReadLines(file).Select(line => $"{Path.GetFileName(file)}: {line}"))
        .Where(line => line.Contains("xception", StringComparison.Ordinal) || line.Contains("fail", StringComparison.Ordinal)).Take(60));

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private static async Task<long> CountAsync(int port)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        return JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/items")).RootElement.GetProperty("count").GetInt64();
    }
}
