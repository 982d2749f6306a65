using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Recipes.Versioning;

/// <summary>
/// Lays a team's GitVersion configuration over the recipe's defaults: what the team's file sets wins, what it leaves
/// out keeps the recipe's value. Maps merge key by key at every depth (<c>branches.main.label</c> replaces only that
/// key); a scalar or list in the team's file replaces the default as a whole.
/// </summary>
internal static class GitVersionConfigurationOverlay
{
    /// <summary>The merged configuration as YAML text; the team's file is only read.</summary>
    /// <param name="defaultsYaml">The recipe's defaults.</param>
    /// <param name="teamFile">The team's configuration file.</param>
    /// <exception cref="VersioningException">The team's file is not YAML, or its top level is not a map.</exception>
    public static string Merge(string defaultsYaml, string teamFile)
    {
        var defaults = (YamlMappingNode)Load(defaultsYaml, "the recipe's default GitVersion configuration")!;
        var team = Load(File.ReadAllText(teamFile), teamFile);
        if (team is not null && team is not YamlMappingNode)
        {
            throw new VersioningException(
                $"{teamFile} is not a GitVersion configuration: its top level must be a map of settings (for example `next-version: 3.0.1`); fix the file.");
        }

        var merged = team is YamlMappingNode teamMap ? Overlay(defaults, teamMap) : defaults;
        using var writer = new StringWriter();
        writer.WriteLine($"# Written by Recipes for one GitVersion run: {teamFile} laid over the recipe's defaults.");
        new YamlStream(new YamlDocument(merged)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlNode? Load(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new VersioningException($"{source} is not valid YAML (line {e.Start.Line}: {e.Message}); fix the file.", e);
        }

        // An empty file, or one holding only comments, sets nothing.
        return stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }
            ? null
            : stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Overlay(YamlMappingNode defaults, YamlMappingNode team)
    {
        var result = new YamlMappingNode();
        foreach (var (key, value) in defaults.Children)
        {
            result.Add(key, value);
        }

        foreach (var (key, value) in team.Children)
        {
            result.Children[key] = result.Children.TryGetValue(key, out var existing)
                && existing is YamlMappingNode defaultMap && value is YamlMappingNode teamMap
                    ? Overlay(defaultMap, teamMap)
                    : value;
        }

        return result;
    }
}
