using System.Text;
using Recipes.Pipeline.Settings;
using Recipes.Versioning;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Recipes.Ci;

/// <summary>
/// What starts a generated workflow, read from the repository: pushes to its default branch and tags that GitVersion
/// reads as release versions (its <c>tag-prefix</c> followed by a digit).
/// </summary>
internal static class RepositoryTriggers
{
    /// <summary>GitVersion 6's own tag prefix: an optional v or V, so both <c>v1.2.3</c> and <c>1.2.3</c> are versions.</summary>
    public const string GitVersionDefaultTagPrefix = "[vV]?";

    private const string FallbackBranch = "main";

    /// <summary>Sets the push triggers of <paramref name="workflow"/> from the repository at <paramref name="repositoryRoot"/>.</summary>
    /// <param name="workflow">The workflow whose push branches and tags are added.</param>
    /// <param name="repositoryRoot">The repository's root folder.</param>
    /// <param name="gitVersionConfig">The <c>gitversion-config</c> setting, or null for the repository's own GitVersion.yml.</param>
    /// <exception cref="RecipeConfigurationException">The GitVersion configuration is not valid YAML.</exception>
    public static void Apply(CiWorkflow workflow, string repositoryRoot, string? gitVersionConfig)
    {
        workflow.On.PushBranches.Add(DefaultBranch(repositoryRoot));
        foreach (var pattern in TagPatterns(TagPrefix(repositoryRoot, gitVersionConfig)))
        {
            workflow.On.PushTags.Add(pattern);
        }
    }

    /// <summary>
    /// origin's HEAD (what a clone calls the default branch); else the one of main and master the repository has; else
    /// the current branch; else main.
    /// </summary>
    /// <remarks>
    /// CI checkouts have no origin/HEAD and build pull requests and tags on a detached HEAD, so main/master comes
    /// before the current branch: CheckCI then gives the same answer on every branch of a clone.
    /// </remarks>
    public static string DefaultBranch(string repositoryRoot)
    {
        const string remotePrefix = "refs/remotes/origin/";
        if (Git(repositoryRoot, "symbolic-ref", "--quiet", remotePrefix + "HEAD") is { } originHead && originHead.StartsWith(remotePrefix, StringComparison.Ordinal))
        {
            return originHead[remotePrefix.Length..];
        }

        var known = new[] { "main", "master" }
            .Where(name => Git(repositoryRoot, "rev-parse", "--verify", "--quiet", "refs/heads/" + name) is not null
                || Git(repositoryRoot, "rev-parse", "--verify", "--quiet", remotePrefix + name) is not null)
            .ToList();
        if (known.Count == 1)
        {
            return known[0];
        }

        return Git(repositoryRoot, "symbolic-ref", "--short", "--quiet", "HEAD") ?? FallbackBranch;
    }

    /// <summary>The <c>tag-prefix</c> of the GitVersion configuration the build uses, or GitVersion's own default.</summary>
    /// <exception cref="RecipeConfigurationException">The configuration file is not valid YAML.</exception>
    public static string TagPrefix(string repositoryRoot, string? gitVersionConfig)
    {
        var file = gitVersionConfig is { Length: > 0 }
            ? Path.GetFullPath(gitVersionConfig, repositoryRoot)
            : DefaultGitVersionConfiguration.FindRepositoryConfiguration(repositoryRoot);
        if (file is null || !File.Exists(file))
        {
            return GitVersionDefaultTagPrefix;
        }

        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            return stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("tag-prefix"), out var prefix)
                && prefix is YamlScalarNode { Value: { } text }
                ? text
                : GitVersionDefaultTagPrefix;
        }
        catch (YamlException exception)
        {
            throw new RecipeConfigurationException($"{file} is not valid YAML (line {exception.Start.Line}: {exception.Message}); fix it so the CI workflow can read its tag-prefix.");
        }
    }

    /// <summary>
    /// Tag filters (globs) for tags that start with <paramref name="tagPrefix"/> (a regular expression) and then a
    /// digit: <c>[vV]?</c> gives <c>v*</c>, <c>V*</c> and <c>[0-9]*</c>. A prefix of other regex forms gives <c>*</c>,
    /// every tag, since running on a tag that is no version costs a build while missing a release costs the release.
    /// </summary>
    public static IReadOnlyList<string> TagPatterns(string tagPrefix)
    {
        var prefixes = ExpandPrefix(tagPrefix.TrimStart('^'));
        if (prefixes is null)
        {
            return ["*"];
        }

        return prefixes.Distinct(StringComparer.Ordinal).Select(prefix => prefix.Length == 0 ? "[0-9]*" : GlobLiteral(prefix) + "*").ToList();
    }

    /// <summary>The literal prefixes a simple regex matches (literals, <c>\x</c>, <c>[abc]</c>, each with an optional <c>?</c>); null for anything else.</summary>
    private static List<string>? ExpandPrefix(string regex)
    {
        const int maxAlternatives = 8;
        var alternatives = new List<string> { string.Empty };
        for (var i = 0; i < regex.Length;)
        {
            List<char> choices;
            if (regex[i] == '\\' && i + 1 < regex.Length && !char.IsAsciiLetterOrDigit(regex[i + 1]))
            {
                choices = [regex[i + 1]];
                i += 2;
            }
            else if (regex[i] == '[' && regex.IndexOf(']', i + 1) is var close and > 0 && regex[i + 1] != '^')
            {
                choices = regex[(i + 1)..close].ToList();
                if (choices.Count == 0 || choices.Any(c => !IsLiteral(c)))
                {
                    return null;
                }

                i = close + 1;
            }
            else if (IsLiteral(regex[i]))
            {
                choices = [regex[i]];
                i++;
            }
            else
            {
                return null;
            }

            var optional = i < regex.Length && regex[i] == '?';
            if (optional)
            {
                i++;
            }

            alternatives = alternatives
                .SelectMany(prefix => choices.Select(c => prefix + c).Concat(optional ? [prefix] : []))
                .ToList();
            if (alternatives.Count > maxAlternatives)
            {
                return null;
            }
        }

        return alternatives;
    }

    private static bool IsLiteral(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/';

    /// <summary>A literal tag prefix as a glob: the characters globs treat specially are put in brackets.</summary>
    private static string GlobLiteral(string prefix)
    {
        var glob = new StringBuilder();
        foreach (var c in prefix)
        {
            glob.Append(c is '*' or '?' or '[' or ']' or '+' or '!' ? $"[{c}]" : c.ToString());
        }

        return glob.ToString();
    }

    private static string? Git(string directory, params string[] arguments) => FixedVersion.Git(directory, arguments);
}
