namespace Recipes.Hosting.Internal;

/// <summary>Finds the known names closest to a mistyped one (a target, a setting, an environment variable).</summary>
internal static class NameSuggestions
{
    public static IReadOnlyList<string> For(string wanted, IEnumerable<string> known)
    {
        var limit = Math.Max(2, wanted.Length / 3);
        return known
            .Select(name => (Name: name, Distance: Distance(wanted.ToUpperInvariant(), name.ToUpperInvariant())))
            .Where(c => c.Distance <= limit
                || c.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase)
                || (wanted.Length >= 3 && wanted.Contains(c.Name, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Take(3)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>Levenshtein distance: edits (insert, delete, substitute) from one string to the other.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
