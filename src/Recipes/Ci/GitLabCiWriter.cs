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
            var script = job.Steps.Where(s => s.Run is not null).SelectMany(s => s.Run!.TrimEnd('\n').Split('\n')).ToList();
            yaml.List(1, "script", script);
            foreach (var step in job.Steps.Where(s => s.Run is null))
            {
                WriteKeyword(yaml, step);
            }
        }

        return yaml.ToString();
    }

    private static void WriteKeyword(YamlLines yaml, CiStep step)
    {
        var keyword = step.Uses ?? throw new RecipeException($"The step '{step.Name}' has neither uses (a job keyword) nor run; give it one.");
        yaml.Add(1, YamlLines.Key(keyword) + ":");
        string? open = null;
        foreach (var (key, value) in step.With)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            var level = 2;
            var name = key;
            if (dot > 0)
            {
                var parent = key[..dot];
                if (parent != open)
                {
                    yaml.Add(2, YamlLines.Key(parent) + ":");
                    open = parent;
                }

                level = 3;
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
    }
}
