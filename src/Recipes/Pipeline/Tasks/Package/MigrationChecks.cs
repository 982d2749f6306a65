using Recipes.Deployment.Database;
using Recipes.Discovery;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// The commit stage's checks of a deployable's migration scripts (<c>Migrations/expand/*.sql</c> and
/// <c>Migrations/contract/*.sql</c> beside its project file): no expand script may destroy what the live release uses,
/// and every script must reach the package, which is all a deployment reads them from.
/// </summary>
internal static class MigrationChecks
{
    /// <summary>Refuses a destructive expand script, naming script (from <paramref name="repositoryRoot"/>), line and rule.</summary>
    /// <exception cref="RecipeException">An expand script drops, renames, or adds a NOT NULL column without a default.</exception>
    public static void RefuseDestructiveExpand(DiscoveredProject app, string repositoryRoot)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(app.Path))!;
        var findings = MigrationScripts.FromProject(folder)
            .Where(script => script.Phase == MigrationPhase.Expand)
            .SelectMany(script => ExpandScriptLint.Check(Path.Combine(Path.GetRelativePath(repositoryRoot, folder), MigrationScripts.Folder, script.Name).Replace('\\', '/'), script.Sql))
            .ToList();
        if (findings.Count > 0)
        {
            var more = findings.Count > 1 ? $" ({findings.Count - 1} more finding(s) after it)" : string.Empty;
            throw new RecipeException($"{findings[0]}{more}");
        }
    }

    /// <summary>Refuses a publish output that lacks some of the project's scripts: the project does not publish them.</summary>
    /// <exception cref="RecipeException">A script of the project is not in the publish output.</exception>
    public static void RequirePublished(DiscoveredProject app, string publishDirectory)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(app.Path))!;
        var missing = MigrationScripts.FromProject(folder)
            .FirstOrDefault(script => !File.Exists(Path.Combine(publishDirectory, MigrationScripts.Folder, script.Name)));
        if (missing is not null)
        {
            throw new RecipeException(
                $"{app.Name} has {MigrationScripts.Folder}/{missing.Name}, which dotnet publish did not copy, so deployments would never run it; add <None Update=\"Migrations/**/*.sql\" CopyToPublishDirectory=\"PreserveNewest\" /> to {Path.GetFileName(app.Path)} (see Database migrations in the README).");
        }
    }
}
