namespace Recipes.Ci;

/// <summary>
/// A CI workflow, as the recipe generates it and before it is written: the triggers, the variables every job sees,
/// and the jobs in order. Change it in code with <c>UseRecipe(r =&gt; r.CustomizeWorkflow = w =&gt; ...)</c>; the
/// generated file is written from it, in a fixed order, so the same recipe always writes the same bytes.
/// </summary>
public sealed class CiWorkflow
{
    /// <summary>The workflow's name, shown by the CI server.</summary>
    public string Name { get; set; } = "pipeline";

    /// <summary>The events that start the workflow.</summary>
    public CiTriggers On { get; } = new();

    /// <summary>The permissions of the workflow's token, by scope (<c>contents: read</c>).</summary>
    public OrderedDictionary<string, string> Permissions { get; } = new();

    /// <summary>Environment variables of every job, by name, in the order written.</summary>
    public OrderedDictionary<string, string> Env { get; } = new();

    /// <summary>The jobs by id (<c>commit-stage</c>, <c>acceptance-stage</c>, <c>deploy-dev</c>), in the order written.</summary>
    public OrderedDictionary<string, CiJob> Jobs { get; } = new();
}

/// <summary>The events that start a workflow.</summary>
public sealed class CiTriggers
{
    /// <summary>Branches whose pushes start the workflow (patterns allowed); none means no push trigger for branches.</summary>
    public IList<string> PushBranches { get; } = new List<string>();

    /// <summary>Tags whose pushes start the workflow (patterns allowed, <c>v*</c>).</summary>
    public IList<string> PushTags { get; } = new List<string>();

    /// <summary>Whether pull requests start the workflow.</summary>
    public bool PullRequests { get; set; }

    /// <summary>Whether the workflow can be started by hand.</summary>
    public bool Manual { get; set; }
}

/// <summary>One job of a workflow: where it runs, what it waits for, and its steps.</summary>
public sealed class CiJob
{
    /// <summary>The job's display name.</summary>
    public string? Name { get; set; }

    /// <summary>The runner label.</summary>
    public string RunsOn { get; set; } = "ubuntu-latest";

    /// <summary>The ids of the jobs that must succeed before this one starts.</summary>
    public IList<string> Needs { get; } = new List<string>();

    /// <summary>A condition (an expression without <c>${{ }}</c>) under which the job runs; null to always run.</summary>
    public string? If { get; set; }

    /// <summary>The deployment environment the job runs in; the CI server's own protection rules (approvals) apply.</summary>
    public string? Environment { get; set; }

    /// <summary>Environment variables of the job's steps, by name (on Azure Pipelines, the job's variables).</summary>
    public OrderedDictionary<string, string> Env { get; } = new();

    /// <summary>Values the job hands to the jobs that need it, by name (GitHub Actions; <c>version</c> from the commit stage).</summary>
    public OrderedDictionary<string, string> Outputs { get; } = new();

    /// <summary>The steps, in order.</summary>
    public IList<CiStep> Steps { get; } = new List<CiStep>();
}

/// <summary>One step of a job: an action it uses, or a command it runs.</summary>
public sealed class CiStep
{
    /// <summary>The step's display name.</summary>
    public string? Name { get; set; }

    /// <summary>An id other steps' expressions can refer to.</summary>
    public string? Id { get; set; }

    /// <summary>A condition (an expression) under which the step runs.</summary>
    public string? If { get; set; }

    /// <summary>The action the step uses (<c>actions/checkout@v4</c>); set this or <see cref="Run"/>.</summary>
    public string? Uses { get; set; }

    /// <summary>The action's inputs, by name.</summary>
    public OrderedDictionary<string, string> With { get; } = new();

    /// <summary>The shell command the step runs; several lines are allowed.</summary>
    public string? Run { get; set; }

    /// <summary>Environment variables of the step, by name.</summary>
    public OrderedDictionary<string, string> Env { get; } = new();
}
