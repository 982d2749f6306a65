using System.Text.Json;
using System.Text.RegularExpressions;

namespace Recipes.Versioning;

/// <summary>Reads what <c>gitversion /output json</c> writes: the variables on success, the reason on failure.</summary>
internal static partial class GitVersionOutput
{
    /// <summary>The version in GitVersion's JSON, or null when the output holds no JSON object with a SemVer.</summary>
    /// <param name="output">GitVersion's standard output; log lines may precede the JSON.</param>
    /// <param name="facts">What git said about HEAD, for what GitVersion leaves out.</param>
    public static BuildVersion? Parse(string output, GitRepositoryFacts facts)
    {
        var start = JsonStart(output);
        var end = output.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            return null;
        }

        Dictionary<string, JsonElement>? variables;
        try
        {
            variables = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(output.AsSpan(start, end - start + 1));
        }
        catch (JsonException)
        {
            return null;
        }

        string? Text(string name) =>
            variables is not null && variables.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        var semVer = Text("SemVer");
        if (string.IsNullOrEmpty(semVer))
        {
            return null;
        }

        // A configuration may switch assembly versioning off (scheme None); the numeric core still makes a valid one.
        var numericVersion = (Text("MajorMinorPatch") ?? semVer.Split('-', '+')[0]) + ".0";
        var sha = Text("Sha") is { Length: > 0 } reported ? reported : facts.HeadSha;
        return new BuildVersion(
            SemVer: semVer,
            AssemblyVersion: Text("AssemblySemVer") ?? numericVersion,
            FileVersion: Text("AssemblySemFileVer") ?? numericVersion,
            InformationalVersion: Text("InformationalVersion") ?? $"{semVer}+Sha.{sha}",
            Sha: sha,
            Branch: Text("BranchName") ?? "(no branch)",
            IsRelease: !semVer.Split('+')[0].Contains('-', StringComparison.Ordinal),
            CommitDate: facts.CommitDate);
    }

    /// <summary>
    /// The first line of GitVersion's own explanation of a failure: the line after its "An error occurred:" or
    /// "An unexpected error occurred:" log line (without the exception's type name), else the first line it wrote to
    /// standard error, else the last line of its output.
    /// </summary>
    public static string FirstErrorLine(ToolResult result)
    {
        var lines = Lines(result.Output);
        var marker = lines.FindIndex(line => ErrorMarker().IsMatch(line));
        if (marker >= 0 && marker + 1 < lines.Count)
        {
            return ExceptionTypePrefix().Replace(lines[marker + 1], string.Empty);
        }

        return Lines(result.Error).FirstOrDefault()
            ?? lines.LastOrDefault()
            ?? $"it exited with code {result.ExitCode} and wrote nothing";
    }

    // The object starts a line of its own; a '{' inside a log line before it must not count.
    private static int JsonStart(string output)
    {
        if (output.StartsWith('{'))
        {
            return 0;
        }

        var lineStart = output.IndexOf("\n{", StringComparison.Ordinal);
        return lineStart < 0 ? -1 : lineStart + 1;
    }

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    [GeneratedRegex(@"^(ERROR|WARN|FATAL)\b.*\bAn (unexpected )?error occurred:?$")]
    private static partial Regex ErrorMarker();

    [GeneratedRegex(@"^[\w.]+Exception:\s*")]
    private static partial Regex ExceptionTypePrefix();
}
