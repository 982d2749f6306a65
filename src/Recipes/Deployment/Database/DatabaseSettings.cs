using YamlDotNet.RepresentationModel;

namespace Recipes.Deployment.Database;

/// <summary>The database engines an environment's migrations run on.</summary>
internal enum DatabaseProvider
{
    /// <summary>An embedded SQLite file; by default in the environment's state folder.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server a team runs.</summary>
    Postgresql,
}

/// <summary>
/// An environment's <c>database: { provider: sqlite | postgresql, connection-from-env: SHOP_DB, lock-timeout: 10s }</c>.
/// The connection string is never in the file: only the name of the deploying process's variable that holds it.
/// </summary>
/// <param name="Provider">The engine.</param>
/// <param name="ConnectionVariable">The build variable that holds the connection string, or null for SQLite's default file.</param>
internal sealed record DatabaseSettings(DatabaseProvider Provider, string? ConnectionVariable)
{
    /// <summary>The variable a release reads its connection string from (ASP.NET Core's <c>GetConnectionString("Database")</c>).</summary>
    public const string ConnectionStringVariable = "ConnectionStrings__Database";

    /// <summary>The variable that tells a release which engine the connection string is for: <c>sqlite</c> or <c>postgresql</c>.</summary>
    public const string ProviderVariable = "RECIPES_DATABASE_PROVIDER";

    /// <summary>The field's name in an environment.</summary>
    public const string Field = "database";

    /// <summary>How long a migration script waits for a lock unless <c>lock-timeout</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one script may wait for a lock (another session's on a table it alters) before it gives up and rolls
    /// back: while an ALTER waits, every later query on that table queues behind it, so a short wait keeps the live
    /// release answering.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = DefaultLockTimeout;

    /// <summary>The provider as written in the environments file.</summary>
    public string ProviderName => Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgresql";

    /// <summary>Reads an environment's <c>database:</c> field, or null when it has none.</summary>
    /// <exception cref="EnvironmentsFileException">The field is not a mapping of known keys, or names an unknown provider or a bad variable.</exception>
    public static DatabaseSettings? Read(YamlFields environment)
    {
        if (environment.Find(Field) is not { } node)
        {
            return null;
        }

        if (node is not YamlMappingNode)
        {
            throw environment.Error(node, Field, "'database' must be a mapping such as { provider: postgresql, connection-from-env: SHOP_DB }.");
        }

        var database = new YamlFields(environment.File, node, "database.", ["provider", "connection-from-env", "lock-timeout"]);
        var provider = database.OptionalString("provider") switch
        {
            null or "sqlite" => DatabaseProvider.Sqlite,
            "postgresql" => DatabaseProvider.Postgresql,
            var other => throw database.Error(database.Find("provider")!, "provider", $"'database.provider' is '{other}'; use sqlite or postgresql."),
        };
        var variable = database.OptionalString("connection-from-env");
        if (variable is not null && !IsVariableName(variable))
        {
            throw database.Error(database.Find("connection-from-env")!, "connection-from-env",
                "'database.connection-from-env' names the variable that holds the connection string, such as SHOP_DB (letters, digits and '_'), never the connection string itself.");
        }

        if (variable is null && provider == DatabaseProvider.Postgresql)
        {
            throw environment.Error(node, "database.connection-from-env",
                "'database.connection-from-env' is missing; a postgresql database needs the variable that holds its connection string, such as connection-from-env: SHOP_DB.");
        }

        return new DatabaseSettings(provider, variable) { LockTimeout = database.OptionalDuration("lock-timeout") ?? DefaultLockTimeout };
    }

    /// <summary>The SQLite file an environment without a connection variable uses, in the state folder.</summary>
    public static string DefaultSqliteFile(string stateDirectory, string environment) =>
        Path.Combine(stateDirectory, "databases", environment + ".sqlite");

    /// <summary>The connection string the deployment uses: the variable's value, or SQLite's default file.</summary>
    /// <exception cref="RecipeException">The variable is not set.</exception>
    public string ConnectionString(string stateDirectory, string environment)
    {
        if (ConnectionVariable is null)
        {
            var file = DefaultSqliteFile(stateDirectory, environment);
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(file)!);
            return $"Data Source={file}";
        }

        return System.Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value
            ? value
            : throw new RecipeException($"Environment '{environment}' takes its database connection from the variable {ConnectionVariable}, which is not set; set it in the build's environment (on CI, from the server's secret store) and run again.");
    }

    private static bool IsVariableName(string text) =>
        text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
