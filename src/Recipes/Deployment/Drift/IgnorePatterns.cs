using System.Text;
using System.Text.RegularExpressions;

namespace Recipes.Deployment.Drift;

/// <summary>
/// Files a drift check leaves out, as globs over paths relative to the release folder: <c>*</c> and <c>?</c> match
/// within one folder name, <c>**</c> any number of folders. A pattern without '/' matches a file name in any folder
/// (<c>*.log</c>), as in .gitignore; one with '/' matches from the release folder down (<c>logs/**</c>).
/// </summary>
internal sealed class IgnorePatterns : IEquatable<IgnorePatterns>
{
    private readonly IReadOnlyList<Regex> _expressions;

    /// <summary>The patterns <paramref name="patterns"/>, each checked with <see cref="Problem"/> first.</summary>
    /// <exception cref="ArgumentException">A pattern is not one (see <see cref="Problem"/>).</exception>
    public IgnorePatterns(IReadOnlyList<string> patterns)
    {
        if (patterns.Select(p => (Pattern: p, Problem: Problem(p))).FirstOrDefault(p => p.Problem is not null) is { Problem: { } problem } bad)
        {
            throw new ArgumentException($"'{bad.Pattern}' {problem}", nameof(patterns));
        }

        Patterns = patterns;
        _expressions = [.. patterns.Select(ToRegex)];
    }

    /// <summary>What an environment ignores when it names nothing under <c>drift.ignore</c>: logs, which an app may write beside itself.</summary>
    public static IReadOnlyList<string> Defaults { get; } = ["*.log", "logs/**"];

    /// <summary>The patterns of <see cref="Defaults"/>.</summary>
    public static IgnorePatterns Default { get; } = new(Defaults);

    /// <summary>The patterns as written.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Whether <paramref name="path"/> (relative, '/'-separated) is left out of the check.</summary>
    public bool Ignores(string path) => _expressions.Any(expression => expression.IsMatch(path));

    /// <summary>Why <paramref name="pattern"/> is not a pattern of a path inside a release folder (a fragment after the quoted pattern), or null.</summary>
    public static string? Problem(string pattern) => pattern switch
    {
        { Length: 0 } => "is empty; write a glob such as *.log or logs/**",
        _ when pattern.StartsWith('/') => "starts with '/'; patterns are relative to the release folder, such as logs/**",
        _ when pattern.Contains('\\') => "has a '\\'; separate folders with '/'",
        _ when pattern.Split('/').Any(part => part is "" or "." or "..") => "has an empty, '.' or '..' folder; name folders inside the release folder, such as logs/**",
        _ when pattern.Split('/').Any(part => part.Contains("**", StringComparison.Ordinal) && part != "**") => "has '**' inside a name; '**' stands alone between slashes (logs/**), '*' matches within a name",
        _ => null,
    };

    /// <inheritdoc />
    public bool Equals(IgnorePatterns? other) => other is not null && Patterns.SequenceEqual(other.Patterns, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IgnorePatterns);

    /// <inheritdoc />
    public override int GetHashCode() => Patterns.Aggregate(0, (hash, pattern) => HashCode.Combine(hash, pattern));

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Patterns);

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder(pattern.Contains('/') ? "^" : "^(?:.*/)?");
        var parts = pattern.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            if (parts[i] == "**")
            {
                // Any number of folders (none included); at the end, anything below.
                regex.Append(last ? ".*" : "(?:[^/]+/)*");
                continue;
            }

            foreach (var character in parts[i])
            {
                regex.Append(character switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(character.ToString()),
                });
            }

            if (!last)
            {
                regex.Append('/');
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
