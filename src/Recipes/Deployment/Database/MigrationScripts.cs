using System.IO.Compression;

namespace Recipes.Deployment.Database;

/// <summary>When a migration script runs: expand before the release that ships it starts, contract on demand later.</summary>
internal enum MigrationPhase
{
    /// <summary>Additive (new table, nullable column, backfill, triggers): the release before still works on it.</summary>
    Expand,

    /// <summary>Destructive (drop, rename, not null): only once no release that needs the old shape runs.</summary>
    Contract,
}

/// <summary>One migration script of a release.</summary>
/// <param name="Phase">Expand or contract.</param>
/// <param name="Name">Its name as journaled: <c>expand/0002_display_name.sql</c>, the phase's folder and the file name.</param>
/// <param name="Sql">The script's text.</param>
internal sealed record MigrationScript(MigrationPhase Phase, string Name, string Sql)
{
    /// <summary>The file name without the phase's folder; an expand and a contract of one change share it.</summary>
    public string FileName => Name[(Name.IndexOf('/', StringComparison.Ordinal) + 1)..];
}

/// <summary>
/// The migration scripts a deployable ships: <c>Migrations/expand/*.sql</c> and <c>Migrations/contract/*.sql</c> of its
/// project, published beside the app (the project's <c>RecipesMigration</c> items) and so packed under
/// <c>app/Migrations/</c>. At deploy time they are read only from the package whose digest was checked.
/// </summary>
internal static class MigrationScripts
{
    /// <summary>The folder of the deployable project (and of the published app) that holds the scripts.</summary>
    public const string Folder = "Migrations";

    private const string PackagePrefix = "app/" + Folder + "/";

    /// <summary>The scripts in the package at <paramref name="packageFile"/>, each phase in ordinal order of name.</summary>
    /// <exception cref="RecipeException">The package cannot be read.</exception>
    public static IReadOnlyList<MigrationScript> FromPackage(string packageFile)
    {
        try
        {
            using var zip = ZipFile.OpenRead(packageFile);
            var scripts = new List<MigrationScript>();
            foreach (var entry in zip.Entries)
            {
                var name = Uri.UnescapeDataString(entry.FullName.Replace('\\', '/'));
                if (name.StartsWith(PackagePrefix, StringComparison.Ordinal) && Parse(name[PackagePrefix.Length..]) is { } phase)
                {
                    using var reader = new StreamReader(entry.Open());
                    scripts.Add(new MigrationScript(phase, name[PackagePrefix.Length..], reader.ReadToEnd()));
                }
            }

            return Ordered(scripts);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new RecipeException($"The package {packageFile} cannot be read for its migration scripts: {exception.Message}");
        }
    }

    /// <summary>
    /// Those of <paramref name="scripts"/> that run on <paramref name="provider"/>: a script named <c>x.sqlite.sql</c> or
    /// <c>x.postgresql.sql</c> runs on that engine only, any other on both (a team on SQLite in development and
    /// PostgreSQL in production writes the SQL that differs twice).
    /// </summary>
    public static IReadOnlyList<MigrationScript> For(IReadOnlyList<MigrationScript> scripts, DatabaseProvider provider) =>
        [.. scripts.Where(script => EngineOf(script.Name) is not { } only || only == provider)];

    private static DatabaseProvider? EngineOf(string name) =>
        name.EndsWith(".sqlite.sql", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Sqlite
        : name.EndsWith(".postgresql.sql", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgresql
        : null;

    /// <summary>The scripts under <c>Migrations/</c> of the project folder <paramref name="projectFolder"/> (the commit stage's view).</summary>
    public static IReadOnlyList<MigrationScript> FromProject(string projectFolder)
    {
        var root = Path.Combine(projectFolder, Folder);
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Ordered([.. Directory.EnumerateFiles(root, "*.sql", SearchOption.AllDirectories)
            .Select(file => (File: file, Name: Path.GetRelativePath(root, file).Replace('\\', '/')))
            .Where(script => Parse(script.Name) is not null)
            .Select(script => new MigrationScript(Parse(script.Name)!.Value, script.Name, File.ReadAllText(script.File)))]);
    }

    /// <summary>The phase of <c>expand/x.sql</c> or <c>contract/x.sql</c>; null for anything else (such as a README or a nested folder).</summary>
    private static MigrationPhase? Parse(string relative)
    {
        var parts = relative.Split('/');
        if (parts.Length != 2 || !parts[1].EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts[0] switch
        {
            "expand" => MigrationPhase.Expand,
            "contract" => MigrationPhase.Contract,
            _ => null,
        };
    }

    private static List<MigrationScript> Ordered(List<MigrationScript> scripts) =>
        [.. scripts.OrderBy(script => script.Phase).ThenBy(script => script.Name, StringComparer.Ordinal)];
}
