namespace Recipes.Ci;

/// <summary>Writes a <see cref="CiWorkflow"/> as an Azure Pipelines file (see <see cref="AzurePipeline"/> for how steps map).</summary>
internal static class AzurePipelinesWriter
{
    public static string Write(CiWorkflow workflow, IEnumerable<string> headerComments)
    {
        var yaml = new YamlLines();
        yaml.Comments(headerComments);
        WriteTriggers(yaml, workflow.On);
        yaml.Map(0, "variables", workflow.Env);
        yaml.Add(0, "jobs:");
        foreach (var (id, job) in workflow.Jobs)
        {
            var item = yaml.Item(1).Scalar(job.Environment is null ? "job" : "deployment", id).Scalar("displayName", job.Name);
            if (job.Needs.Count == 1)
            {
                item.Scalar("dependsOn", job.Needs[0]);
            }
            else if (job.Needs.Count > 1)
            {
                item.Open("dependsOn");
                foreach (var need in job.Needs)
                {
                    yaml.Add(3, "- " + YamlLines.Value(need));
                }
            }

            item.Scalar("condition", job.If).Scalar("environment", job.Environment);
            item.Open("pool");
            yaml.Scalar(3, "vmImage", job.RunsOn);
            item.Map("variables", job.Env);
            if (job.Environment is null)
            {
                item.Open("steps");
                WriteSteps(yaml, 3, job.Steps);
            }
            else
            {
                item.Open("strategy");
                yaml.Add(3, "runOnce:");
                yaml.Add(4, "deploy:");
                yaml.Add(5, "steps:");
                WriteSteps(yaml, 6, job.Steps);
            }
        }

        return yaml.ToString();
    }

    private static void WriteTriggers(YamlLines yaml, CiTriggers on)
    {
        yaml.Add(0, "trigger:");
        yaml.Add(1, "branches:");
        yaml.List(2, "include", on.PushBranches.SelectMany(WithoutBrackets).ToList());
        if (on.PushTags.Count > 0)
        {
            yaml.Add(1, "tags:");
            yaml.List(2, "include", on.PushTags.SelectMany(WithoutBrackets).ToList());
        }

        if (on.PullRequests)
        {
            yaml.Add(0, "pr:");
            yaml.Add(1, "branches:");
            yaml.List(2, "include", ["*"]);
        }
        else
        {
            yaml.Scalar(0, "pr", "none");
        }
    }

    /// <summary>
    /// A filter with a bracket class (<c>[0-9]*</c>) as one filter per character (<c>0*</c> ... <c>9*</c>): Azure's
    /// filters know only the <c>*</c> and <c>?</c> wildcards.
    /// </summary>
    internal static IEnumerable<string> WithoutBrackets(string pattern)
    {
        var open = pattern.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : pattern.IndexOf(']', open + 1);
        if (close < 0)
        {
            return [pattern];
        }

        var members = pattern[(open + 1)..close];
        var characters = new List<char>();
        for (var i = 0; i < members.Length; i++)
        {
            if (i + 2 < members.Length && members[i + 1] == '-')
            {
                characters.AddRange(Enumerable.Range(members[i], members[i + 2] - members[i] + 1).Select(c => (char)c));
                i += 2;
            }
            else
            {
                characters.Add(members[i]);
            }
        }

        return characters.SelectMany(c => WithoutBrackets(pattern[..open] + c + pattern[(close + 1)..]));
    }

    private static void WriteSteps(YamlLines yaml, int level, IEnumerable<CiStep> steps)
    {
        foreach (var step in steps)
        {
            var item = yaml.Item(level);
            if (step.Uses == AzurePipeline.Checkout)
            {
                item.Scalar("checkout", "self");
                foreach (var (key, value) in step.With)
                {
                    item.Scalar(key, value);
                }
            }
            else if (step.Uses is not null)
            {
                item.Scalar("task", step.Uses).Map("inputs", step.With);
            }
            else
            {
                item.Scalar("script", step.Run ?? throw new RecipeException($"The step '{step.Name}' has neither uses nor run; give it one."));
            }

            item.Scalar("name", step.Id).Scalar("displayName", step.Name).Scalar("condition", step.If).Map("env", step.Env);
        }
    }
}
