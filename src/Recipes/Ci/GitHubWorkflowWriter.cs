using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Recipes.Ci;

/// <summary>
/// Writes a <see cref="CiWorkflow"/> as a GitHub Actions workflow file. Our own small writer: a fixed key order,
/// two-space indentation, <c>\n</c> line endings and one quoting rule, so that the same workflow always gives the
/// same bytes on every machine.
/// </summary>
internal static partial class GitHubWorkflowWriter
{
    public static string Write(CiWorkflow workflow, IEnumerable<string> headerComments)
    {
        var yaml = new Lines();
        foreach (var comment in headerComments)
        {
            yaml.Add(0, comment.Length == 0 ? "#" : "# " + comment);
        }

        yaml.Scalar(0, "name", workflow.Name);
        WriteTriggers(yaml, workflow.On);
        yaml.Map(0, "permissions", workflow.Permissions);
        yaml.Map(0, "env", workflow.Env);
        yaml.Add(0, "jobs:");
        foreach (var (id, job) in workflow.Jobs)
        {
            yaml.Add(1, Key(id) + ":");
            WriteJob(yaml, job);
        }

        return yaml.ToString();
    }

    private static void WriteTriggers(Lines yaml, CiTriggers on)
    {
        yaml.Add(0, "on:");
        if (on.PushBranches.Count > 0 || on.PushTags.Count > 0)
        {
            yaml.Add(1, "push:");
            yaml.List(2, "branches", on.PushBranches);
            yaml.List(2, "tags", on.PushTags);
        }

        if (on.PullRequests)
        {
            yaml.Add(1, "pull_request:");
        }

        if (on.Manual)
        {
            yaml.Add(1, "workflow_dispatch:");
        }
    }

    private static void WriteJob(Lines yaml, CiJob job)
    {
        yaml.Scalar(2, "name", job.Name);
        yaml.Scalar(2, "runs-on", job.RunsOn);
        if (job.Needs.Count == 1)
        {
            yaml.Scalar(2, "needs", job.Needs[0]);
        }
        else
        {
            yaml.List(2, "needs", job.Needs);
        }

        yaml.Scalar(2, "if", job.If);
        yaml.Scalar(2, "environment", job.Environment);
        yaml.Map(2, "env", job.Env);
        yaml.Add(2, "steps:");
        foreach (var step in job.Steps)
        {
            // The first key goes on the list item's line; the rest line up under it.
            var first = true;
            void Item(string key, string? value)
            {
                if (value is null)
                {
                    return;
                }

                yaml.Scalar(4, key, value, first ? "- " : "  ", indentOffset: -1);
                first = false;
            }

            Item("name", step.Name);
            Item("id", step.Id);
            Item("if", step.If);
            Item("uses", step.Uses);
            if (step.With.Count > 0)
            {
                yaml.Add(3, (first ? "- " : "  ") + "with:");
                first = false;
                yaml.Map(5, null, step.With);
            }

            Item("run", step.Run);
            if (step.Env.Count > 0)
            {
                yaml.Add(3, (first ? "- " : "  ") + "env:");
                first = false;
                yaml.Map(5, null, step.Env);
            }

            if (first)
            {
                throw new RecipeException("A workflow step has nothing set; give it at least a name, and uses or run.");
            }
        }
    }

    /// <summary>A mapping key: plain when it is a simple name, quoted otherwise.</summary>
    private static string Key(string key) => KeyPattern().IsMatch(key) ? key : Quote(key);

    /// <summary>A scalar value: plain when YAML reads it back as the same string, double-quoted otherwise.</summary>
    internal static string Value(string value)
    {
        var plain = value.Length > 0
            && PlainPattern().IsMatch(value)
            && !value.Contains(": ", StringComparison.Ordinal)
            && !value.Contains(" #", StringComparison.Ordinal)
            && !value.EndsWith(':')
            && !value.EndsWith(' ')
            && !Reserved.Contains(value)
            && !(NumberPattern().IsMatch(value) && !DigitsPattern().IsMatch(value));
        return plain ? value : Quote(value);
    }

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", "-.inf", ".nan",
    };

    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_$./~(+][^\n\r\t\u0000-\u001f]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?|0[xXoObB][0-9a-fA-F_]+)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex("^(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex DigitsPattern();

    /// <summary>The file's lines, each indented by two spaces a level.</summary>
    private sealed class Lines
    {
        private readonly StringBuilder _text = new();

        public void Add(int level, string line) => _text.Append(' ', level * 2).Append(line).Append('\n');

        public void Scalar(int level, string key, string? value, string prefix = "", int indentOffset = 0)
        {
            if (value is null)
            {
                return;
            }

            var column = level * 2 + indentOffset * 2 + prefix.Length;
            var start = new string(' ', level * 2 + indentOffset * 2) + prefix + Key(key) + ":";
            if (value.Contains('\n') && !value.Split('\n').Any(l => l.StartsWith(' ') || l.EndsWith(' ') || l.Contains('\r')))
            {
                // A literal block: commands read as they run. The content is indented one level under its key.
                var lines = value.TrimEnd('\n').Split('\n');
                _text.Append(start).Append(value.EndsWith('\n') ? " |" : " |-").Append('\n');
                var indent = new string(' ', column + 2);
                foreach (var line in lines)
                {
                    _text.Append(line.Length == 0 ? string.Empty : indent + line).Append('\n');
                }

                return;
            }

            _text.Append(start).Append(' ').Append(Value(value)).Append('\n');
        }

        public void List(int level, string key, IList<string> values)
        {
            if (values.Count == 0)
            {
                return;
            }

            Add(level, Key(key) + ":");
            foreach (var value in values)
            {
                Add(level + 1, "- " + Value(value));
            }
        }

        public void Map(int level, string? key, OrderedDictionary<string, string> values)
        {
            if (values.Count == 0)
            {
                return;
            }

            if (key is not null)
            {
                Add(level, Key(key) + ":");
                level++;
            }

            foreach (var (name, value) in values)
            {
                Scalar(level, name, value);
            }
        }

        public override string ToString() => _text.ToString();
    }
}
