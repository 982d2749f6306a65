using Recipes.Deployment;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service given a table of items and two releases, each built by the real commit stage: v1 reads and writes
/// column <c>name</c>; v2 ships an expand script (column <c>display_name</c>, a backfill, triggers that keep both in
/// step) and a contract script (dropping <c>name</c>), writes and reads <c>display_name</c> only. The SQL that differs
/// between the engines is written twice (<c>*.sqlite.sql</c>, <c>*.postgresql.sql</c>), so one package serves the
/// environment <c>shop</c> (SQLite), <c>shop-pg</c> (the run's PostgreSQL, its connection string from SHOP_DB) and
/// <c>shop-killed</c> (a second database there, for the deploy killed during its migration).
/// </summary>
public sealed class ShopDatabaseFixture : IDisposable
{
    private const string ItemsV1 = """
        using System.Data.Common;
        using Microsoft.Data.Sqlite;
        using Npgsql;

        namespace Acme.Shop.Api;

        internal static class Items
        {
            private const string Insert = "INSERT INTO items (name) VALUES (@name) RETURNING id";

            public static void Map(WebApplication app)
            {
                var database = Environment.GetEnvironmentVariable("ConnectionStrings__Database");
                var postgresql = Environment.GetEnvironmentVariable("RECIPES_DATABASE_PROVIDER") == "postgresql";
                app.MapPost("/items", () =>
                {
                    using var connection = Open();
                    return Results.Ok(new { id = Scalar(connection, null, Insert, NewName()) });
                });
                app.MapGet("/items", () =>
                {
                    using var connection = Open();
                    return Results.Ok(new { count = Scalar(connection, null, "SELECT count(COLUMN) FROM items", null) });
                });
                // The smoke check's write, as a team's would have one: the release's own insert, rolled back, so
                // checking production leaves no row behind.
                app.MapGet("/items/write-check", () =>
                {
                    using var connection = Open();
                    using var transaction = connection.BeginTransaction();
                    Scalar(connection, transaction, Insert, NewName());
                    transaction.Rollback();
                    return Results.Ok();
                });

                DbConnection Open()
                {
                    DbConnection connection = postgresql ? new NpgsqlConnection(database) : new SqliteConnection(database + ";Default Timeout=60");
                    connection.Open();
                    return connection;
                }
            }

            private static string NewName() => "item-" + Guid.NewGuid().ToString("N");

            private static long Scalar(DbConnection connection, DbTransaction? transaction, string sql, string? name)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                if (name is not null)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "name";
                    parameter.Value = name;
                    command.Parameters.Add(parameter);
                }

                return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        """;

    public ShopDatabaseFixture()
    {
        Repository = new SampleRepository("service");
        Repository.Write("Directory.Packages.props", File.ReadAllText(Path.Combine(Repository.Repository, "Directory.Packages.props"))
            .Replace("</ItemGroup>", "  <PackageVersion Include=\"Microsoft.Data.Sqlite\" Version=\"11.0.0\" />\n    <PackageVersion Include=\"Npgsql\" Version=\"10.0.3\" />\n  </ItemGroup>", StringComparison.Ordinal));
        var project = Path.Combine("src", "Acme.Shop.Api");
        Repository.Write(Path.Combine(project, "Acme.Shop.Api.csproj"), File.ReadAllText(Path.Combine(Repository.Repository, project, "Acme.Shop.Api.csproj"))
            .Replace("<PackageReference Include=\"Microsoft.FeatureManagement\" />", "<PackageReference Include=\"Microsoft.FeatureManagement\" />\n    <PackageReference Include=\"Microsoft.Data.Sqlite\" />\n    <PackageReference Include=\"Npgsql\" />", StringComparison.Ordinal));
        Repository.Write(Path.Combine(project, "Program.cs"), File.ReadAllText(Path.Combine(Repository.Repository, project, "Program.cs"))
            .Replace("app.Run();", "Items.Map(app);\napp.Run();", StringComparison.Ordinal));
        var expand = Path.Combine(project, "Migrations", "expand");
        var contract = Path.Combine(project, "Migrations", "contract");
        Directory.CreateDirectory(Path.Combine(Repository.Repository, expand));
        Directory.CreateDirectory(Path.Combine(Repository.Repository, contract));
        Repository.Write(Path.Combine(project, "Items.cs"), ItemsV1.Replace("COLUMN", "name", StringComparison.Ordinal));
        Repository.Write(Path.Combine(expand, "0001_items.sqlite.sql"), "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\n");
        Repository.Write(Path.Combine(expand, "0001_items.postgresql.sql"), "CREATE TABLE items (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT);\n");
        Repository.Commit("Items, by name");
        V1 = Publish("v1");

        Repository.Write(Path.Combine(project, "Items.cs"), ItemsV1
            .Replace("INSERT INTO items (name)", "INSERT INTO items (display_name)", StringComparison.Ordinal)
            .Replace("COLUMN", "display_name", StringComparison.Ordinal));
        Repository.Write(Path.Combine(expand, "0002_display_name.sqlite.sql"), """
            ALTER TABLE items ADD COLUMN display_name TEXT;
            UPDATE items SET display_name = name WHERE display_name IS NULL;
            -- While v1 and v2 share the table, each one's writes show in the other's column.
            CREATE TRIGGER items_display_name_from_name AFTER INSERT ON items WHEN NEW.display_name IS NULL
            BEGIN UPDATE items SET display_name = NEW.name WHERE id = NEW.id; END;
            CREATE TRIGGER items_name_from_display_name AFTER INSERT ON items WHEN NEW.name IS NULL
            BEGIN UPDATE items SET name = NEW.display_name WHERE id = NEW.id; END;
            """);
        Repository.Write(Path.Combine(expand, "0002_display_name.postgresql.sql"), """
            ALTER TABLE items ADD COLUMN display_name TEXT;
            UPDATE items SET display_name = name WHERE display_name IS NULL;
            -- While v1 and v2 share the table, each one's writes show in the other's column.
            CREATE FUNCTION items_names_in_step() RETURNS trigger LANGUAGE plpgsql AS
            'BEGIN NEW.display_name := coalesce(NEW.display_name, NEW.name); NEW.name := coalesce(NEW.name, NEW.display_name); RETURN NEW; END';
            CREATE TRIGGER items_names_in_step BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_names_in_step();
            """);
        Repository.Write(Path.Combine(contract, "0002_display_name.sqlite.sql"), """
            DROP TRIGGER items_display_name_from_name;
            DROP TRIGGER items_name_from_display_name;
            ALTER TABLE items DROP COLUMN name;
            """);
        Repository.Write(Path.Combine(contract, "0002_display_name.postgresql.sql"), """
            DROP TRIGGER items_names_in_step ON items;
            DROP FUNCTION items_names_in_step();
            ALTER TABLE items DROP COLUMN name;
            """);
        Repository.Commit("Items, by display name");
        V2 = Publish("v2");

        // Two releases that must never take traffic, both v1's code with one expand script more (v2's scripts gone).
        Repository.Write(Path.Combine(project, "Items.cs"), ItemsV1.Replace("COLUMN", "name", StringComparison.Ordinal));
        foreach (var v2Script in (string[])[Path.Combine(expand, "0002_display_name.sqlite.sql"), Path.Combine(expand, "0002_display_name.postgresql.sql"),
            Path.Combine(contract, "0002_display_name.sqlite.sql"), Path.Combine(contract, "0002_display_name.postgresql.sql")])
        {
            File.Delete(Path.Combine(Repository.Repository, v2Script));
        }

        // Fails half-way: the column is added, then the backfill reads a table this database does not have.
        Repository.Write(Path.Combine(expand, HalfFailingScript), """
            ALTER TABLE items ADD COLUMN sku TEXT;
            UPDATE items SET sku = catalog.sku FROM catalog WHERE catalog.name = items.name;
            """);
        Repository.Commit("Items get a SKU from the catalog");
        HalfFailing = Publish("half-failing");

        // Passes the lint (no drop, rename or required column; NOT VALID even spares existing rows, as Squawk advises),
        // yet v1 writes 37-character names: only v1 writing on the expanded schema shows that.
        File.Delete(Path.Combine(Repository.Repository, expand, HalfFailingScript));
        Repository.Write(Path.Combine(expand, "0004_name_length.postgresql.sql"), """
            ALTER TABLE items ADD CONSTRAINT items_name_length CHECK (length(name) <= 32) NOT VALID;
            """);
        Repository.Write(Path.Combine(expand, "0004_name_length.sqlite.sql"), """
            CREATE TRIGGER items_name_length BEFORE INSERT ON items WHEN length(NEW.name) > 32
            BEGIN SELECT RAISE(ABORT, 'items.name is at most 32 characters'); END;
            """);
        Repository.Commit("Item names of at most 32 characters");
        BreaksV1 = Publish("breaks-v1");

        Port = PublicPorts.Next();
        PostgresqlPort = PublicPorts.Next();
        KilledPort = PublicPorts.Next();
        Repository.Environment["SHOP_DB"] = PostgresServer.Shared.CreateDatabase();
        KilledDatabase = PostgresServer.Shared.CreateDatabase();
        Repository.Environment["SHOP_DB_KILLED"] = KilledDatabase;
        GuardedPort = PublicPorts.Next();
        GuardedSqlitePort = PublicPorts.Next();
        GuardedDatabase = PostgresServer.Shared.CreateDatabase();
        Repository.Environment["SHOP_DB_GUARDED"] = GuardedDatabase;
        CanaryPort = PublicPorts.Next();
        Repository.Environment["SHOP_DB_CANARY"] = PostgresServer.Shared.CreateDatabase();
        // Six environments of the same app, health check and smoke paths; what differs is the port, the strategy and the database.
        string Shop(string name, int port, string strategy, string database) => $$"""
              - name: {{name}}
                artifact: Acme.Shop.Api
                port: {{port}}
                strategy: { {{strategy}} }
                health: { path: /health, timeout: 60s }
                smoke: [ { path: /version }, { path: /items }, { path: /items/write-check } ]
                database: { {{database}} }

            """;
        const string BlueGreen = "kind: blue-green, grace-period: 0s";
        // A canary's p95 under 1 s is not judged: latency analysis has tests of its own, and a fresh release on a busy
        // machine is slower than a warm one; the canaries show what the database change loses, which must be nothing.
        Repository.Write("environments.yml", "environments:\n" + string.Concat(
            Shop("shop", Port, "kind: canary, steps: [50, 100], pause: 8s, max-error-rate: 0.05, p95-floor-ms: 1000", "provider: sqlite"),
            Shop("shop-pg", PostgresqlPort, BlueGreen, "provider: postgresql, connection-from-env: SHOP_DB"),
            Shop("shop-killed", KilledPort, BlueGreen, "provider: postgresql, connection-from-env: SHOP_DB_KILLED, lock-timeout: 5m"),
            Shop("shop-guarded", GuardedPort, BlueGreen, "provider: postgresql, connection-from-env: SHOP_DB_GUARDED"),
            Shop("shop-pg-canary", CanaryPort, "kind: canary, steps: [50, 100], pause: 30s, max-error-rate: 0.05, p95-floor-ms: 1000", "provider: postgresql, connection-from-env: SHOP_DB_CANARY"),
            Shop("shop-guarded-sqlite", GuardedSqlitePort, BlueGreen, "provider: sqlite")));
    }

    public SampleRepository Repository { get; }

    public PublishedVersion V1 { get; }

    public PublishedVersion V2 { get; }

    /// <summary>The expand script of <see cref="HalfFailing"/>, which fails at its second statement.</summary>
    public const string HalfFailingScript = "0003_sku.sql";

    /// <summary>v1's code with an expand script that fails half-way (<see cref="HalfFailingScript"/>).</summary>
    public PublishedVersion HalfFailing { get; }

    /// <summary>v1's code with an expand script the lint lets through and v1's writes violate (<c>0004_name_length</c>).</summary>
    public PublishedVersion BreaksV1 { get; }

    /// <summary>The public port of <c>shop-guarded</c> (PostgreSQL, a database of its own): the two releases that must not go live.</summary>
    public int GuardedPort { get; }

    /// <summary>The public port of <c>shop-pg-canary</c> (PostgreSQL, a database of its own): Contract during a canary.</summary>
    public int CanaryPort { get; }

    /// <summary>The public port of <c>shop-guarded-sqlite</c>: the half-failing release on SQLite.</summary>
    public int GuardedSqlitePort { get; }

    /// <summary>The connection string of <c>shop-guarded</c>'s database.</summary>
    public string GuardedDatabase { get; }

    /// <summary>The public port of <c>shop</c> (SQLite).</summary>
    public int Port { get; }

    /// <summary>The public port of <c>shop-pg</c> (PostgreSQL).</summary>
    public int PostgresqlPort { get; }

    /// <summary>The public port of <c>shop-killed</c> (PostgreSQL, a database of its own): the deploy killed mid-migration.</summary>
    public int KilledPort { get; }

    /// <summary>The connection string of <c>shop-killed</c>'s database.</summary>
    public string KilledDatabase { get; }

    public DeploymentLedger Ledger => DeploymentLedger.Open(Path.Combine(Repository.StateDirectory, "ledger.db"));

    public ProcessResult Deploy(string environment, PublishedVersion version) =>
        Repository.Build("--target=Deploy", $"--environment={environment}", $"--deploy-version={version.Version}", $"--manifest={version.Manifest}");

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
