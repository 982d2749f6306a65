namespace Recipes.Ci;

/// <summary>
/// Writes a <see cref="CiWorkflow"/> as a GitHub Actions workflow file, in a fixed order (see <see cref="YamlLines"/>).
/// </summary>
internal static class GitHubWorkflowWriter
{
    public static string Write(CiWorkflow workflow, IEnumerable<string> headerComments)
    {
        var yaml = new YamlLines();
        yaml.Comments(headerComments);
        yaml.Scalar(0, "name", workflow.Name);
        WriteTriggers(yaml, workflow.On);
        yaml.Map(0, "permissions", workflow.Permissions);
        yaml.Map(0, "env", workflow.Env);
        yaml.Add(0, "jobs:");
        foreach (var (id, job) in workflow.Jobs)
        {
            yaml.Add(1, YamlLines.Key(id) + ":");
            WriteJob(yaml, job);
        }

        return yaml.ToString();
    }

    private static void WriteTriggers(YamlLines yaml, CiTriggers on)
    {
        yaml.Add(0, "on:");
        if (on.PushBranches.Count > 0 || on.PushTags.Count > 0)
        {
            yaml.Add(1, "push:");
            yaml.List(2, "branches", on.PushBranches);
            yaml.List(2, "tags", on.PushTags);
        }

        if (on.PullRequests)
        {
            yaml.Add(1, "pull_request:");
        }

        if (on.Manual)
        {
            yaml.Add(1, "workflow_dispatch:");
        }
    }

    private static void WriteJob(YamlLines yaml, CiJob job)
    {
        yaml.Scalar(2, "name", job.Name);
        yaml.Scalar(2, "runs-on", job.RunsOn);
        if (job.Needs.Count == 1)
        {
            yaml.Scalar(2, "needs", job.Needs[0]);
        }
        else
        {
            yaml.List(2, "needs", job.Needs);
        }

        yaml.Scalar(2, "if", job.If);
        yaml.Scalar(2, "environment", job.Environment);
        yaml.Map(2, "outputs", job.Outputs);
        yaml.Map(2, "env", job.Env);
        yaml.Add(2, "steps:");
        foreach (var step in job.Steps)
        {
            var item = yaml.Item(3)
                .Scalar("name", step.Name)
                .Scalar("id", step.Id)
                .Scalar("if", step.If)
                .Scalar("uses", step.Uses)
                .Map("with", step.With)
                .Scalar("run", step.Run)
                .Map("env", step.Env);
            if (item.IsEmpty)
            {
                throw new RecipeException("A workflow step has nothing set; give it at least a name, and uses or run.");
            }
        }
    }
}
