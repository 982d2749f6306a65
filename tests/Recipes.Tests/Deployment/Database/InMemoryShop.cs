using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Recipes.Deployment;
using Recipes.Deployment.Database;
using Recipes.Deployment.Slots;
using Recipes.Tests.Deployment.Targets;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Database;

/// <summary>
/// What the deployer's database tests share: environment dev's state and ledger, a target that runs nothing and fetches
/// the Shop packages a test ships, its SQLite file, and, where the N-1 check needs one, an in-process "v1" that really
/// reads column <c>name</c>.
/// </summary>
internal sealed class InMemoryShop : IAsyncDisposable
{
    private WebApplication? _v1;

    public InMemoryShop(string name)
    {
        Harness = new DeployerHarness(name);
        Target = new InMemoryTarget(Harness.LedgerPath);
    }

    public DeployerHarness Harness { get; }

    public InMemoryTarget Target { get; }

    /// <summary>v1's port once started (the environment's), else a port nothing listens on.</summary>
    public int Port { get; private set; } = 5999;

    public string DatabaseFile => DatabaseSettings.DefaultSqliteFile(Harness.State.Path, "dev");

    /// <summary>Packs Shop <paramref name="version"/> with <paramref name="scripts"/> for the target to fetch.</summary>
    public void Ship(string version, params (string Name, string Sql)[] scripts) =>
        Target.PackageFiles[version] = MigrationPackage.Create(Harness.State.Path, version, scripts.ToDictionary(script => script.Name, script => script.Sql));

    /// <summary>Starts "v1" live in slot blue: each of <paramref name="readingPaths"/> answers 500 once column name is gone; /health 200 unless it is one of them.</summary>
    public async Task StartV1Async(params string[] readingPaths)
    {
        _v1 = LoopbackApp.CreateBuilder().Build();
        foreach (var path in readingPaths)
        {
            _v1.MapGet(path, ReadNames);
        }

        if (!readingPaths.Contains("/health"))
        {
            _v1.MapGet("/health", () => Results.Ok());
        }

        await _v1.StartAsync();
        Port = LoopbackApp.Address(_v1).Port;
        Target.Releases.Add(Release("blue", "1.0.0", 100));
    }

    public static ReleaseStatus Release(string slot, string version, int share) =>
        new(slot, "Shop", version, "0123456789ab", SlotState.Running, "running", "in memory", share, false);

    public async ValueTask DisposeAsync()
    {
        if (_v1 is not null)
        {
            await _v1.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Harness.Dispose();
    }

    private IResult ReadNames()
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(name) FROM items;";
            return Results.Ok(command.ExecuteScalar());
        }
        catch (SqliteException)
        {
            return Results.StatusCode(500);
        }
    }
}
