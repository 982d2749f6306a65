using Cake.Core;

namespace Recipes.Pipeline;

/// <summary>Applies the environment (<c>RECIPES_NAME</c>) and then the command line (<c>--name=value</c>) over settings from code.</summary>
internal static class RecipeSettingsReader
{
    public static RecipeSettings Apply(RecipeSettings fromCode, ICakeArguments arguments, Func<string, string?> environment)
    {
        var commandLine = arguments.GetArguments();

        string? Read(string name)
        {
            if (commandLine.TryGetValue(name, out var values) && values.Count > 0)
            {
                return values.Last();
            }

            var fromEnvironment = environment("RECIPES_" + name.Replace('-', '_').ToUpperInvariant());
            return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment;
        }

        return new RecipeSettings
        {
            Solution = Read("solution") ?? fromCode.Solution,
            Configuration = Read("configuration") ?? fromCode.Configuration,
            Feed = Read("feed") ?? fromCode.Feed,
            FeedApiKeyVariable = fromCode.FeedApiKeyVariable,
            ArtifactsDirectory = Read("artifacts") ?? fromCode.ArtifactsDirectory,
            TagCommit = Read("tag-commit") is { } tag ? ParseBool("tag-commit", tag) : fromCode.TagCommit,
            FastTestFilter = Read("fast-test-filter") ?? fromCode.FastTestFilter,
            Reclassify = fromCode.Reclassify,
        };
    }

    private static bool ParseBool(string name, string value) =>
        bool.TryParse(value, out var result)
            ? result
            : throw new RecipeException($"--{name}={value} is not true or false.");
}
