using System.Globalization;

namespace Recipes.Deployment.Drift;

/// <summary>
/// Lists a release folder on another machine with the tools every Linux host has: one shell command whose output
/// (<c>find -printf</c> lines of mode, size and path, then <c>sha256sum</c> lines) parses into the same entries as
/// <see cref="ReleaseFileEntry.OfFolder"/> gives for a local folder. A target that reaches hosts over SSH runs
/// <see cref="Command"/> there and hands the output to <see cref="Parse"/>.
/// </summary>
internal static class RemoteFileListing
{
    private const string StatPrefix = "stat ";
    private const int Sha256Length = 64;

    /// <summary>The command that lists <paramref name="folder"/>'s files (run by <c>sh</c>); <paramref name="folder"/> is quoted for the shell here.</summary>
    public static string Command(string folder) =>
        $"cd -- {ShellQuote(folder)} && find . -type f -printf '{StatPrefix}%m %s %P\\n' && find . -type f -exec sha256sum -- {{}} +";

    /// <summary>
    /// The entries of <see cref="Command"/>'s <paramref name="output"/>, sorted by path. Every file needs both its
    /// stat line and its checksum line.
    /// </summary>
    /// <param name="output">What the command printed.</param>
    /// <param name="where">Where it ran, for messages: <c>host web-1:/srv/releases/...</c>.</param>
    /// <exception cref="RecipeException">A line is neither kind, or a file has one line and not the other.</exception>
    public static IReadOnlyList<ReleaseFileEntry> Parse(string output, string where)
    {
        var stats = new Dictionary<string, (int Mode, long Size)>(StringComparer.Ordinal);
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            if (line.Length == 0)
            {
                continue;
            }

            var parsed = line.StartsWith(StatPrefix, StringComparison.Ordinal) ? ParseStat(line, stats) : ParseSum(line, sums);
            if (!parsed)
            {
                var shown = line.Length > 80 ? line[..80] + "…" : line;
                throw new RecipeException($"The file listing of {where} has line {index + 1} '{shown}', which is neither 'stat MODE SIZE PATH' nor 'SHA256  ./PATH'; file names with a line break cannot be listed.");
            }
        }

        var unsummed = stats.Keys.FirstOrDefault(path => !sums.ContainsKey(path)) ?? sums.Keys.FirstOrDefault(path => !stats.ContainsKey(path));
        if (unsummed is not null)
        {
            throw new RecipeException($"The file listing of {where} has {unsummed} in only one of its two parts (find and sha256sum); the folder changed while it was listed, list it again.");
        }

        return [.. stats.Select(stat => new ReleaseFileEntry(stat.Key, stat.Value.Size, sums[stat.Key], stat.Value.Mode)).OrderBy(entry => entry.Path, StringComparer.Ordinal)];
    }

    /// <summary><c>stat 644 1234 wwwroot/site.css</c>: the path is the rest of the line, spaces and all.</summary>
    private static bool ParseStat(string line, Dictionary<string, (int Mode, long Size)> stats)
    {
        var fields = line[StatPrefix.Length..].Split(' ', 3);
        if (fields.Length != 3 || fields[2].Length == 0
            || ReleaseFileEntry.ParseMode(fields[0]) is not { } mode
            || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return false;
        }

        stats[fields[2]] = (mode, size);
        return true;
    }

    /// <summary>
    /// <c>HEX  ./path</c> (<c>HEX *./path</c> in binary mode). sha256sum starts the line with '\' and escapes '\' and
    /// line breaks in a name that has them.
    /// </summary>
    private static bool ParseSum(string line, Dictionary<string, string> sums)
    {
        var escaped = line.StartsWith('\\');
        var text = escaped ? line[1..] : line;
        if (text.Length < Sha256Length + 3 || !text[..Sha256Length].All(Uri.IsHexDigit) || text[Sha256Length] != ' ' || text[Sha256Length + 1] is not (' ' or '*'))
        {
            return false;
        }

        var path = text[(Sha256Length + 2)..];
        if (escaped)
        {
            path = Unescape(path);
        }

        if (!path.StartsWith("./", StringComparison.Ordinal) || path.Length == 2)
        {
            return false;
        }

        sums[path[2..]] = text[..Sha256Length].ToLowerInvariant();
        return true;
    }

    /// <summary>sha256sum's escapes, read left to right so that an escaped '\' before an 'n' stays a '\' and an 'n'.</summary>
    private static string Unescape(string path)
    {
        var text = new System.Text.StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            text.Append(path[i] == '\\' && i + 1 < path.Length ? path[++i] switch { 'n' => '\n', var other => other } : path[i]);
        }

        return text.ToString();
    }

    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
