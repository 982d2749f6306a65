using YamlDotNet.RepresentationModel;

namespace Recipes.Deployment.Drift;

/// <summary>Reads an environment's <c>drift: { ignore: [...] }</c>, checked like the rest of the environments file.</summary>
internal static class DriftFields
{
    private const string Example = "drift: { ignore: [\"*.log\", \"logs/**\"] }";

    /// <summary>The environment's ignore patterns: those under <c>drift.ignore</c> (which replace the defaults, so [] checks every file), else <see cref="IgnorePatterns.Defaults"/>.</summary>
    /// <exception cref="EnvironmentsFileException">The field is not a mapping with a list of globs, or a glob is not one.</exception>
    public static IgnorePatterns Ignore(YamlFields environment)
    {
        if (environment.Find("drift") is not { } node)
        {
            return IgnorePatterns.Default;
        }

        var drift = new YamlFields(environment.File, node, environment.Prefix + "drift.", ["ignore"]);
        if (drift.Find("ignore") is not { } list)
        {
            return IgnorePatterns.Default;
        }

        if (list is not YamlSequenceNode items)
        {
            throw drift.Error(list, "ignore", $"'drift.ignore' must be a list of globs relative to the release folder, such as {Example}.");
        }

        var patterns = new List<string>();
        foreach (var item in items.Children)
        {
            var pattern = (item as YamlScalarNode)?.Value;
            var problem = pattern is null ? "must be a glob, not a list or a mapping" : IgnorePatterns.Problem(pattern);
            if (problem is not null)
            {
                throw drift.Error(item, "ignore", $"'drift.ignore' has '{pattern}', which {problem}.");
            }

            patterns.Add(pattern!);
        }

        return new IgnorePatterns(patterns);
    }
}
