using Recipes.Discovery;
using Recipes.Pipeline.Tasks;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Database;

/// <summary>Package's checks of a deployable's scripts: no destructive expand, and every script in the publish output.</summary>
public sealed class MigrationChecksTests : IDisposable
{
    private readonly TempDirectory _repository = new("recipes-migration-checks");

    public void Dispose() => _repository.Dispose();

    private DiscoveredProject App => new(_repository.Combine("src", "Shop", "Shop.csproj"), "Shop", ProjectKind.Deployable, null, true, ["net10.0"], null);

    [Fact]
    public void A_destructive_expand_script_fails_with_one_line_naming_script_line_and_rule()
    {
        Script("expand/0001_items.sql", "CREATE TABLE items (id INTEGER, name TEXT);");
        Script("expand/0002_display_name.sql", "ALTER TABLE items ADD COLUMN display_name TEXT;\nALTER TABLE items DROP COLUMN name;\nALTER TABLE items RENAME TO things;");
        Script("contract/0002_display_name.sql", "ALTER TABLE items DROP COLUMN name;");

        var refused = Should.Throw<RecipeException>(() => MigrationChecks.RefuseDestructiveExpand(App, _repository.Path));

        refused.Message.ShouldStartWith("src/Shop/Migrations/expand/0002_display_name.sql:2: dropping-column: ");
        refused.Message.ShouldEndWith(" (1 more finding(s) after it)");
        refused.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Destructive_contract_scripts_and_additive_expand_scripts_pass()
    {
        Script("expand/0002_display_name.sql", "ALTER TABLE items ADD COLUMN display_name TEXT;");
        Script("contract/0002_display_name.sql", "ALTER TABLE items DROP COLUMN name;");

        MigrationChecks.RefuseDestructiveExpand(App, _repository.Path);
    }

    [Fact]
    public void A_script_that_publish_did_not_copy_is_named_with_the_item_to_add()
    {
        Script("expand/0001_items.sql", "CREATE TABLE items (id INTEGER);");
        var publish = Directory.CreateDirectory(_repository.Combine("publish")).FullName;

        var refused = Should.Throw<RecipeException>(() => MigrationChecks.RequirePublished(App, publish));

        refused.Message.ShouldStartWith("Shop has Migrations/expand/0001_items.sql, which dotnet publish did not copy, so deployments would never run it; add <None Update=\"Migrations/**/*.sql\" CopyToPublishDirectory=\"PreserveNewest\" /> to Shop.csproj");
        Directory.CreateDirectory(Path.Combine(publish, "Migrations", "expand"));
        File.Copy(_repository.Combine("src", "Shop", "Migrations", "expand", "0001_items.sql"), Path.Combine(publish, "Migrations", "expand", "0001_items.sql"));
        MigrationChecks.RequirePublished(App, publish);
    }

    private void Script(string name, string sql)
    {
        var file = _repository.Combine("src", "Shop", "Migrations", name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, sql);
    }
}
