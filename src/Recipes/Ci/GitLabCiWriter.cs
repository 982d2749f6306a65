using System.Text;

namespace Recipes.Ci;

/// <summary>Writes a <see cref="CiWorkflow"/> as a GitLab CI file (see <see cref="GitLabPipeline"/> for how steps map).</summary>
internal static class GitLabCiWriter
{
    private const string Stage = "pipeline";

    public static string Write(CiWorkflow workflow, IEnumerable<string> headerComments)
    {
        var yaml = new YamlLines();
        yaml.Comments(headerComments);

        // One stage: the jobs' needs order them, as the other servers' files do.
        yaml.List(0, "stages", [Stage]);
        WriteRules(yaml, workflow.On);
        yaml.Map(0, "variables", workflow.Env);
        foreach (var (id, job) in workflow.Jobs)
        {
            yaml.Add(0, YamlLines.Key(id) + ":");
            yaml.Scalar(1, "stage", Stage);
            yaml.Scalar(1, "image", job.RunsOn);
            yaml.List(1, "needs", job.Needs);
            if (job.If is not null)
            {
                yaml.Add(1, "rules:");
                yaml.Item(2).Scalar("if", job.If);
            }

            if (job.Environment is not null)
            {
                yaml.Add(1, "environment:");
                yaml.Scalar(2, "name", job.Environment);
            }

            yaml.Map(1, "variables", job.Env);
            yaml.List(1, "script", Lines(job.Steps.Where(s => s.Run is not null && s.If != GitLabPipeline.Always)));
            yaml.List(1, "after_script", Lines(job.Steps.Where(s => s.Run is not null && s.If == GitLabPipeline.Always)));
            foreach (var keyword in job.Steps.Where(s => s.Run is null).GroupBy(KeywordOf))
            {
                WriteKeyword(yaml, keyword.Key, [.. keyword]);
            }
        }

        return yaml.ToString();
    }

    private static List<string> Lines(IEnumerable<CiStep> steps) => [.. steps.SelectMany(s => s.Run!.TrimEnd('\n').Split('\n'))];

    /// <summary>
    /// The pipelines GitLab creates: pushes to the trigger branches and tags (GitLab's rules take regular expressions,
    /// so the filters are translated) and, standing in for pull requests, pushes to any branch.
    /// </summary>
    private static void WriteRules(YamlLines yaml, CiTriggers on)
    {
        var rules = new List<string>();
        if (on.PushBranches.Count > 0)
        {
            rules.Add($"$CI_COMMIT_BRANCH =~ /^({string.Join('|', on.PushBranches.Select(GlobToRegex))})$/");
        }

        if (on.PushTags.Count > 0)
        {
            rules.Add($"$CI_COMMIT_TAG =~ /^({string.Join('|', on.PushTags.Select(GlobToRegex))})$/");
        }

        if (on.PullRequests)
        {
            rules.Add("$CI_COMMIT_BRANCH");
        }

        if (rules.Count == 0)
        {
            return;
        }

        yaml.Add(0, "workflow:");
        yaml.Add(1, "rules:");
        foreach (var rule in rules)
        {
            yaml.Item(2).Scalar("if", rule);
        }
    }

    /// <summary>A branch or tag filter (<c>*</c>, <c>?</c>, <c>[0-9]</c>) as a regular expression inside <c>/.../</c>.</summary>
    internal static string GlobToRegex(string glob)
    {
        var regex = new StringBuilder();
        var inClass = false;
        foreach (var c in glob)
        {
            regex.Append((c, inClass) switch
            {
                ('[', false) => "[",
                (']', true) => "]",
                (_, true) => c.ToString(),
                ('*', _) => ".*",
                ('?', _) => ".",
                _ when char.IsAsciiLetterOrDigit(c) || c is '-' or '_' => c.ToString(),
                _ => "\\" + c,
            });
            inClass = c == '[' || (inClass && c != ']');
        }

        return regex.ToString();
    }

    private static string KeywordOf(CiStep step) =>
        step.Uses ?? throw new RecipeException($"The step '{step.Name}' has neither uses (a job keyword) nor run; give it one.");

    /// <summary>
    /// A job keyword from its steps: one step is the keyword's mapping; several (two caches) are a list of mappings,
    /// as GitLab takes them, since a key may appear only once in a job.
    /// </summary>
    private static void WriteKeyword(YamlLines yaml, string keyword, IReadOnlyList<CiStep> steps)
    {
        yaml.Add(1, YamlLines.Key(keyword) + ":");
        foreach (var step in steps)
        {
            var lines = Entries(step).TrimEnd('\n').Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                yaml.Add(2, steps.Count == 1 ? lines[i] : (i == 0 ? "- " : "  ") + lines[i]);
            }
        }
    }

    /// <summary>A step's entries as a mapping at the left margin: a dotted key nests under its first part, a value with a line break is a list.</summary>
    private static string Entries(CiStep step)
    {
        var yaml = new YamlLines();
        string? open = null;
        foreach (var (key, value) in step.With)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            var level = 0;
            var name = key;
            if (dot > 0)
            {
                var parent = key[..dot];
                if (parent != open)
                {
                    yaml.Add(0, YamlLines.Key(parent) + ":");
                    open = parent;
                }

                level = 1;
                name = key[(dot + 1)..];
            }
            else
            {
                open = null;
            }

            if (value.Contains('\n'))
            {
                yaml.List(level, name, value.TrimEnd('\n').Split('\n'));
            }
            else
            {
                yaml.Scalar(level, name, value);
            }
        }

        return yaml.ToString();
    }
}
