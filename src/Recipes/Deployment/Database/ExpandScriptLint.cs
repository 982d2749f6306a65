using System.Text;
using System.Text.RegularExpressions;

namespace Recipes.Deployment.Database;

/// <summary>A destructive statement in an expand script.</summary>
/// <param name="Script">The script's path, for the message.</param>
/// <param name="Line">The 1-based line where the statement's offending part starts.</param>
/// <param name="Rule">The rule, named as Squawk names it: <c>dropping-column</c>, <c>renaming-column</c>, ...</param>
/// <param name="Problem">What is wrong and what to do instead.</param>
internal sealed record LintFinding(string Script, int Line, string Rule, string Problem)
{
    /// <summary>One line naming script, line and rule.</summary>
    public override string ToString() => $"{Script}:{Line}: {Rule}: {Problem}";
}

/// <summary>
/// The commit stage's check of expand scripts: while the release before still runs on the schema, an expand may only
/// add. It refuses what Squawk and Atlas lint refuse for a zero-downtime change: dropping a column or table, renaming
/// a column or table, and adding a NOT NULL column without a default (the old release's inserts would fail).
/// </summary>
internal static partial class ExpandScriptLint
{
    /// <summary>What is wrong with the expand script <paramref name="sql"/> (named <paramref name="script"/>), in line order; empty when nothing.</summary>
    public static IReadOnlyList<LintFinding> Check(string script, string sql)
    {
        var code = WithoutComments(sql);
        var findings = new List<LintFinding>();
        void Add(int index, string rule, string problem) => findings.Add(new LintFinding(script, LineOf(code, index), rule, problem));

        foreach (Match match in DropColumn().Matches(code))
        {
            Add(match.Index, "dropping-column", "an expand script drops a column the live release may still use; drop it in a contract script (Migrations/contract/) once no release reads it.");
        }

        foreach (Match match in DropTable().Matches(code))
        {
            Add(match.Index, "ban-drop-table", "an expand script drops a table the live release may still use; drop it in a contract script (Migrations/contract/).");
        }

        foreach (Match match in RenameTable().Matches(code))
        {
            Add(match.Index, "renaming-table", "an expand script renames a table the live release uses by its old name; add the new table (or a view) now and drop the old one in a contract script.");
        }

        foreach (Match match in RenameColumn().Matches(code))
        {
            Add(match.Index, "renaming-column", "an expand script renames a column the live release uses by its old name; add the new column, keep both in step (backfill, trigger), and drop the old one in a contract script.");
        }

        foreach (Match match in AddColumn().Matches(code))
        {
            var definition = ColumnDefinition(code, match.Index + match.Length);
            if (NotNull().IsMatch(definition) && !Default().IsMatch(definition))
            {
                Add(match.Index, "adding-required-field", "an expand script adds a NOT NULL column without a default, so the live release's inserts fail; give it a default, or add it nullable and make it NOT NULL in a contract script.");
            }
        }

        return [.. findings.OrderBy(finding => finding.Line)];
    }

    /// <summary>The column definition after <c>ADD [COLUMN]</c>: up to a comma outside parentheses, or the statement's end.</summary>
    private static string ColumnDefinition(string code, int start)
    {
        var depth = 0;
        for (var index = start; index < code.Length; index++)
        {
            switch (code[index])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                case ';':
                    return code[start..index];
            }
        }

        return code[start..];
    }

    /// <summary>The text with comments and string literals blanked (newlines kept), so that neither hides nor fakes a statement.</summary>
    private static string WithoutComments(string sql)
    {
        var text = new StringBuilder(sql);
        var index = 0;
        while (index < sql.Length)
        {
            var end = sql[index] switch
            {
                '-' when At(sql, index, "--") => sql.IndexOf('\n', index) is var newline and >= 0 ? newline : sql.Length,
                '/' when At(sql, index, "/*") => sql.IndexOf("*/", index + 2, StringComparison.Ordinal) is var close and >= 0 ? close + 2 : sql.Length,
                '\'' => sql.IndexOf('\'', index + 1) is var quote and >= 0 ? quote + 1 : sql.Length,
                _ => index,
            };
            if (end == index)
            {
                index++;
                continue;
            }

            for (var blank = index; blank < end; blank++)
            {
                text[blank] = sql[blank] == '\n' ? '\n' : ' ';
            }

            index = end;
        }

        return text.ToString();
    }

    private static bool At(string text, int index, string what) => string.CompareOrdinal(text, index, what, 0, what.Length) == 0;

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"\bDROP\s+COLUMN\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DropColumn();

    [GeneratedRegex(@"\bDROP\s+TABLE\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DropTable();

    [GeneratedRegex(@"\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?[\w"".]+\s+RENAME\s+TO\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RenameTable();

    [GeneratedRegex(@"\bRENAME\s+(?:COLUMN\s+)?(?!TO\b)[\w""]+\s+TO\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RenameColumn();

    [GeneratedRegex(@"\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?!CONSTRAINT\b|PRIMARY\b|UNIQUE\b|FOREIGN\b|CHECK\b)(?=[\w""])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddColumn();

    [GeneratedRegex(@"\bNOT\s+NULL\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotNull();

    [GeneratedRegex(@"\bDEFAULT\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Default();
}
