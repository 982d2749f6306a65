using System.Text.Json;
using Recipes.Deployment;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service given a table of items and two releases, each built by the real commit stage: v1 reads and writes
/// column <c>name</c>; v2 ships an expand script (column <c>display_name</c>, a backfill, triggers that keep both in
/// step) and a contract script (dropping <c>name</c>), writes and reads <c>display_name</c> only. A third commit whose
/// expand script drops a column fails the commit stage.
/// </summary>
public sealed class ShopDatabaseFixture : IDisposable
{
    private const string ItemsV1 = """
        using Microsoft.Data.Sqlite;

        namespace Acme.Shop.Api;

        internal static class Items
        {
            public static void Map(WebApplication app)
            {
                var database = Environment.GetEnvironmentVariable("ConnectionStrings__Database");
                app.MapPost("/items", () => Results.Ok(new { id = Scalar(database, "INSERT INTO items (name) VALUES ('item-' || hex(randomblob(8))) RETURNING id") }));
                app.MapGet("/items", () => Results.Ok(new { count = Scalar(database, "SELECT count(COLUMN) FROM items") }));
            }

            private static long Scalar(string? database, string sql)
            {
                using var connection = new SqliteConnection(database + ";Default Timeout=60");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                return (long)command.ExecuteScalar()!;
            }
        }
        """;

    public ShopDatabaseFixture()
    {
        Repository = new SampleRepository("service");
        Repository.Write("Directory.Packages.props", File.ReadAllText(Path.Combine(Repository.Repository, "Directory.Packages.props"))
            .Replace("</ItemGroup>", "  <PackageVersion Include=\"Microsoft.Data.Sqlite\" Version=\"11.0.0\" />\n  </ItemGroup>", StringComparison.Ordinal));
        var project = Path.Combine("src", "Acme.Shop.Api");
        Repository.Write(Path.Combine(project, "Acme.Shop.Api.csproj"), File.ReadAllText(Path.Combine(Repository.Repository, project, "Acme.Shop.Api.csproj"))
            .Replace("<PackageReference Include=\"Microsoft.FeatureManagement\" />", "<PackageReference Include=\"Microsoft.FeatureManagement\" />\n    <PackageReference Include=\"Microsoft.Data.Sqlite\" />", StringComparison.Ordinal));
        Repository.Write(Path.Combine(project, "Program.cs"), File.ReadAllText(Path.Combine(Repository.Repository, project, "Program.cs"))
            .Replace("app.Run();", "Items.Map(app);\napp.Run();", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(Repository.Repository, project, "Migrations", "expand"));
        Directory.CreateDirectory(Path.Combine(Repository.Repository, project, "Migrations", "contract"));
        Repository.Write(Path.Combine(project, "Items.cs"), ItemsV1.Replace("COLUMN", "name", StringComparison.Ordinal));
        Repository.Write(Path.Combine(project, "Migrations", "expand", "0001_items.sql"), "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\n");
        Repository.Commit("Items, by name");
        V1 = Publish("v1");

        Repository.Write(Path.Combine(project, "Items.cs"), ItemsV1
            .Replace("INSERT INTO items (name)", "INSERT INTO items (display_name)", StringComparison.Ordinal)
            .Replace("COLUMN", "display_name", StringComparison.Ordinal));
        Repository.Write(Path.Combine(project, "Migrations", "expand", "0002_display_name.sql"), """
            ALTER TABLE items ADD COLUMN display_name TEXT;
            UPDATE items SET display_name = name WHERE display_name IS NULL;
            -- While v1 and v2 share the table, each one's writes show in the other's column.
            CREATE TRIGGER items_display_name_from_name AFTER INSERT ON items WHEN NEW.display_name IS NULL
            BEGIN UPDATE items SET display_name = NEW.name WHERE id = NEW.id; END;
            CREATE TRIGGER items_name_from_display_name AFTER INSERT ON items WHEN NEW.name IS NULL
            BEGIN UPDATE items SET name = NEW.display_name WHERE id = NEW.id; END;
            """);
        Repository.Write(Path.Combine(project, "Migrations", "contract", "0002_display_name.sql"), """
            DROP TRIGGER items_display_name_from_name;
            DROP TRIGGER items_name_from_display_name;
            ALTER TABLE items DROP COLUMN name;
            """);
        Repository.Commit("Items, by display name");
        V2 = Publish("v2");

        Port = PublicPorts.Next();
        Repository.Write("environments.yml", $$"""
            environments:
              - name: shop
                artifact: Acme.Shop.Api
                port: {{Port}}
                strategy: { kind: canary, steps: [50, 100], pause: 8s, max-error-rate: 0.05 }
                health: { path: /health, timeout: 60s }
                smoke: [ { path: /version }, { path: /items } ]
                database: { provider: sqlite }
            """);
    }

    public SampleRepository Repository { get; }

    public PublishedVersion V1 { get; }

    public PublishedVersion V2 { get; }

    public int Port { get; }

    public DeploymentLedger Ledger => DeploymentLedger.Open(Path.Combine(Repository.StateDirectory, "ledger.db"));

    public ProcessResult Deploy(PublishedVersion version) =>
        Repository.Build("--target=Deploy", "--environment=shop", $"--deploy-version={version.Version}", $"--manifest={version.Manifest}");

    public void Dispose()
    {
        Repository.Build("--target=Stop");
        Repository.Dispose();
    }

    private PublishedVersion Publish(string name)
    {
        var result = Repository.Build("--target=CommitStage");
        result.ExitCode.ShouldBe(0, $"The commit stage of {name} failed: {result.All}");
        var manifest = Path.Combine(Directory.CreateDirectory(Path.Combine(Repository.Root, "manifests")).FullName, name + ".json");
        File.Copy(Path.Combine(Repository.Repository, "artifacts", "manifest.json"), manifest);
        var entry = Recipes.Artifacts.ArtifactManifest.Read(manifest).Artifacts.Single(a => a.Id == "Acme.Shop.Api");
        return new PublishedVersion(entry.Version, entry.Sha512, manifest);
    }
}

[Trait("Category", "Slow")]
public sealed class DatabaseDeploymentTests(ShopDatabaseFixture shop) : IClassFixture<ShopDatabaseFixture>
{
    // Shown points 1 (SQLite) and 2 of issue 16. The writes once lost here failed with "database is locked": see
    // MigrationRunnerTests.A_sqlite_database_it_migrates_takes_one_release_s_writes_while_another_release_reads.
    [Fact]
    public async Task V1_to_v2_under_reads_and_writes_loses_nothing_and_contract_waits_for_the_last_v1_slot()
    {
        var v1 = shop.Deploy(shop.V1);
        v1.ExitCode.ShouldBe(0, v1.All);
        ProcessResult? contractedDuringDeploy = null;
        await using (var writes = LoadGenerator.Start(Load("/items", HttpMethod.Post)))
        await using (var reads = LoadGenerator.Start(Load("/items", HttpMethod.Get)))
        {
            var deploy = Task.Run(() => shop.Deploy(shop.V2));
            var refusals = new List<string>();
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
                    // which it drops) failing would show in the load below had it applied earlier.
                    contractedDuringDeploy = contract;
                }

                await Task.Delay(500);
            }

            var v2 = await deploy;
            v2.ExitCode.ShouldBe(0, v2.All);
            v2.All.ShouldContain("expanded the database: expand/0002_display_name.sql");
            v2.All.ShouldContain("passes its health check and 2 smoke check(s) on the expanded schema");
            refusals.ShouldNotBeEmpty("Contract ran while v1 still had half the traffic");
            refusals[0].ShouldMatch($@"^Error: Task 'Contract' failed: Contract refused: slot \w+ of shop runs Acme.Shop.Api {Regex(shop.V1.Version)}, older than {Regex(shop.V2.Version)}, which applied expand/0002_display_name.sql; contract/0002_display_name.sql would break it\. ");

            var written = await writes.FinishAsync();
            var read = await reads.FinishAsync();
            (written.Failed, read.Failed).ShouldBe((0, 0), $"{written.Total} writes, {read.Total} reads; failed: {Failures(written)} {Failures(read)}; deploy: {v2.All}; app logs: {AppErrors()}");
            written.VersionCounts.Keys.Select(ServiceReleasesFixture.Plain).ShouldBe([shop.V1.Version, shop.V2.Version], ignoreOrder: true);
            (await CountAsync()).ShouldBe(written.Requests.Count(request => request.StatusCode == 200), "every row written during the switch is there, readable by v2's column");
        }

        var applied = contractedDuringDeploy ?? shop.Repository.Build("--target=Contract", "--environment=shop");
        applied.ExitCode.ShouldBe(0, applied.All);
        applied.All.ShouldContain("contracted the database: contract/0002_display_name.sql");
        using var http = new HttpClient();
        (await http.PostAsync($"http://127.0.0.1:{shop.Port}/items", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, "v2 writes on after the contract");
        var migrations = shop.Repository.Build("--target=Migrations", "--environment=shop");
        migrations.ExitCode.ShouldBe(0, migrations.All);
        migrations.All.ShouldContain("expand: applied expand/0001_items.sql, expand/0002_display_name.sql; pending none");
        migrations.All.ShouldContain("contract: applied contract/0002_display_name.sql; pending none");
        shop.Ledger.History("shop")[0].Kind.ShouldBe(DeploymentKind.Contract);
    }

    private LoadOptions Load(string path, HttpMethod method) => ServiceReleasesFixture.Load(shop.Port, path, workers: 2) with { Method = method, RecordBodies = true, RequestTimeout = TimeSpan.FromSeconds(30), MaxDuration = TimeSpan.FromMinutes(5) };

    private static string Failures(LoadResult result) => string.Join(" | ", result.Requests.Where(request => request.Failed)
        .Select(request => $"{request.Started.TotalSeconds:0.000}-{request.Ended.TotalSeconds:0.000} s {request.StatusCode} {request.Version} {request.Error} {request.Body}"));

    private string AppErrors() => string.Join("\n", Directory.EnumerateFiles(shop.Repository.StateDirectory, "*.log", SearchOption.AllDirectories)
        .SelectMany(file => File.ReadLines(file).Select(line => $"{Path.GetFileName(file)}: {line}")).Where(line => line.Contains("xception", StringComparison.Ordinal) || line.Contains("fail", StringComparison.Ordinal)).Take(60));

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private async Task<long> CountAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        return JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{shop.Port}/items")).RootElement.GetProperty("count").GetInt64();
    }
}
