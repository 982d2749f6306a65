using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Recipes.Ci;

/// <summary>
/// The lines of a CI file, each indented by two spaces a level: our own small YAML writer with a fixed key order,
/// <c>\n</c> line endings and one quoting rule, so that the same workflow always gives the same bytes on every
/// machine, whichever CI server it is for.
/// </summary>
internal sealed partial class YamlLines
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

    /// <summary>Comment lines at the top of the file.</summary>
    public void Comments(IEnumerable<string> comments)
    {
        foreach (var comment in comments)
        {
            Add(0, comment.Length == 0 ? "#" : "# " + comment);
        }
    }

    /// <summary>An item of a list at <paramref name="level"/>: its first key goes on the dash's line, the rest line up under it.</summary>
    public ListItem Item(int level) => new(this, level);

    /// <summary>A mapping key: plain when it is a simple name, quoted otherwise.</summary>
    public static string Key(string key) => KeyPattern().IsMatch(key) ? key : Quote(key);

    /// <summary>A scalar value: plain when YAML reads it back as the same string, double-quoted otherwise.</summary>
    public static string Value(string value)
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

    /// <summary>One list item being written.</summary>
    public sealed class ListItem(YamlLines yaml, int level)
    {
        private bool _started;

        public bool IsEmpty => !_started;

        public ListItem Scalar(string key, string? value)
        {
            if (value is not null)
            {
                yaml.Scalar(level + 1, key, value, Prefix(), indentOffset: -1);
            }

            return this;
        }

        /// <summary>A key whose value is a nested mapping, written one level deeper than the item's keys.</summary>
        public ListItem Map(string key, OrderedDictionary<string, string> values)
        {
            if (values.Count > 0)
            {
                yaml.Add(level, Prefix() + YamlLines.Key(key) + ":");
                yaml.Map(level + 2, null, values);
            }

            return this;
        }

        /// <summary>A key whose value the caller writes next, at <c>level + 2</c>.</summary>
        public ListItem Open(string key)
        {
            yaml.Add(level, Prefix() + YamlLines.Key(key) + ":");
            return this;
        }

        private string Prefix()
        {
            var prefix = _started ? "  " : "- ";
            _started = true;
            return prefix;
        }
    }
}
