using Recipes.Artifacts;

namespace Recipes.Tests.Deployment.Database;

/// <summary>A deployable package made by the real packer from a publish folder holding an app file and migration scripts.</summary>
internal static class MigrationPackage
{
    /// <summary>Packs <paramref name="scripts"/> (by path under <c>Migrations/</c>, such as <c>expand/0001_items.sql</c>) as <c>Shop</c> <paramref name="version"/>.</summary>
    public static string Create(string folder, string version, IReadOnlyDictionary<string, string> scripts)
    {
        var publish = Path.Combine(folder, "publish-" + version);
        Directory.CreateDirectory(publish);
        File.WriteAllText(Path.Combine(publish, "Shop.dll"), "not really an app");
        foreach (var (name, sql) in scripts)
        {
            var file = Path.Combine(publish, "Migrations", name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, sql);
        }

        var output = Path.Combine(folder, "packages");
        Directory.CreateDirectory(output);
        return DeployablePackager.Pack(publish, "Shop", version, "test", output, "1700000000");
    }
}
