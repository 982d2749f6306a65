using Recipes.Deployment.Database;

namespace Recipes.Tests.Deployment.Database;

/// <summary>An expand script may only add: each destructive statement is named with its script, line and Squawk's rule.</summary>
public sealed class ExpandScriptLintTests
{
    [Theory]
    [InlineData("ALTER TABLE items DROP COLUMN name;", "dropping-column")]
    [InlineData("ALTER TABLE items RENAME COLUMN name TO display_name;", "renaming-column")]
    [InlineData("ALTER TABLE items RENAME name TO display_name;", "renaming-column")]
    [InlineData("ALTER TABLE items RENAME TO things;", "renaming-table")]
    [InlineData("ALTER TABLE items ADD COLUMN display_name TEXT NOT NULL;", "adding-required-field")]
    [InlineData("ALTER TABLE items ADD display_name varchar(20) NOT NULL, ADD note TEXT;", "adding-required-field")]
    [InlineData("DROP TABLE items;", "ban-drop-table")]
    public void A_destructive_statement_is_named_with_its_line_and_rule(string statement, string rule)
    {
        var finding = ExpandScriptLint.Check("Migrations/expand/0002.sql", $"-- adds what v2 needs\nCREATE TABLE notes (id INTEGER);\n\n{statement}\n").ShouldHaveSingleItem();

        (finding.Line, finding.Rule).ShouldBe((4, rule));
        finding.ToString().ShouldStartWith($"Migrations/expand/0002.sql:4: {rule}: ");
    }

    [Fact]
    public void Additive_statements_pass_also_with_destructive_words_in_comments_and_strings()
    {
        const string sql = """
            -- v1 keeps using name; DROP COLUMN name comes later, in a contract script
            ALTER TABLE items ADD COLUMN display_name TEXT;
            ALTER TABLE items ADD COLUMN created TEXT NOT NULL DEFAULT 'DROP COLUMN';
            ALTER TABLE items ADD CONSTRAINT positive CHECK (id > 0);
            /* ALTER TABLE items RENAME TO things; */
            UPDATE items SET display_name = name WHERE display_name IS NULL;
            CREATE TRIGGER items_display_name AFTER INSERT ON items WHEN NEW.display_name IS NULL
            BEGIN UPDATE items SET display_name = NEW.name WHERE id = NEW.id; END;
            """;

        ExpandScriptLint.Check("expand/0002.sql", sql).ShouldBeEmpty();
    }

    [Fact]
    public void Several_findings_come_in_line_order()
    {
        var findings = ExpandScriptLint.Check("x.sql", "ALTER TABLE a RENAME TO b;\nALTER TABLE b DROP COLUMN c;");

        findings.Select(finding => (finding.Line, finding.Rule)).ShouldBe([(1, "renaming-table"), (2, "dropping-column")]);
    }
}
