using Recipes.Pipeline.Settings;
using Recipes.Pipeline.Tasks;

namespace Recipes.Pipeline.Arguments;

/// <summary>
/// The checks of each target that need more than one argument's text: run before any task of the run, so that a
/// missing environment or an undeclared feature exits with code 2 before anything is downloaded, started or written.
/// Each works out what its task reads again at run time; nothing is kept between the check and the task.
/// </summary>
internal static class TargetChecks
{
    public static void Deploy(RecipeContext context, TargetRun run)
    {
        OldVersionSpelling(context, run);
        var environment = ReleaseArguments.Environment(context, "Deploy");
        if (run.Runs("Package"))
        {
            // A run that packages writes the manifest Deploy reads: its package is known only once that task has run.
            DeployArguments.RequireSecrets(environment);
            DeployArguments.RequireApproval(context, environment);
            return;
        }

        _ = DeployArguments.Deployment(context, environment);
    }

    public static void Promote(RecipeContext context, TargetRun run) => _ = DeployArguments.Promotion(context);

    public static void Rollback(RecipeContext context, TargetRun run) =>
        DeployArguments.RequireSecrets(ReleaseArguments.Environment(context, "Rollback"));

    public static void EnvironmentOrAll(RecipeContext context, TargetRun run) =>
        _ = DeployArguments.EnvironmentOrAll(context, run.Tasks.Contains("Stop", StringComparer.OrdinalIgnoreCase) ? "Stop" : "Status");

    /// <summary>The environment exists, and an environment named on its own is of a target whose files can be checked.</summary>
    public static void Drift(RecipeContext context, TargetRun run)
    {
        if (DeployArguments.EnvironmentOrAll(context, "Drift") is [var environment] && TargetArgumentTable.EnvironmentOrAll.IsGiven(context.Arguments)
            && DeployArguments.Deployment(context).Target(environment) is not Deployment.Drift.IReleaseFileListing)
        {
            throw new RecipeConfigurationException($"Drift cannot check '{environment.Name}': {Tasks.Drift.NotListed(environment)}.");
        }
    }

    /// <summary>The environment exists, has its secrets, and is of a target with hosts to rebuild.</summary>
    public static void Reprovision(RecipeContext context, TargetRun run)
    {
        var environment = ReleaseArguments.Environment(context, "Reprovision");
        DeployArguments.RequireSecrets(environment);
        if (DeployArguments.Deployment(context).Target(environment) is not Deployment.IReprovisioning)
        {
            throw new RecipeConfigurationException(Deployment.Deployer.NoHostsToRebuild(environment));
        }
    }

    public static void Release(RecipeContext context, TargetRun run) => _ = ReleaseArguments.Request(context);

    public static void History(RecipeContext context, TargetRun run) => _ = ReleaseArguments.Environment(context, "History");

    /// <summary>The environment exists and declares a database, for Contract and Migrations.</summary>
    public static void Database(RecipeContext context, TargetRun run)
    {
        var target = run.Tasks.Contains("Contract", StringComparer.OrdinalIgnoreCase) ? "Contract" : "Migrations";
        var environment = ReleaseArguments.Environment(context, target);
        if (environment.Database is null)
        {
            throw new RecipeConfigurationException(
                $"{target}: environment '{environment.Name}' declares no database in {context.LoadEnvironments().File}; add database: {{ provider: sqlite }} (or postgresql with connection-from-env: VARIABLE) to it.");
        }
    }

    /// <summary>The environment exists and --since reads as a period, for Metrics and Report.</summary>
    public static void Insight(RecipeContext context, TargetRun run)
    {
        _ = InsightArguments.Environment(context, run.Tasks.Contains("Report", StringComparer.OrdinalIgnoreCase) ? "Report" : "Metrics");
        _ = InsightArguments.Period(context);
    }

    /// <summary>Works the CI file out once, so that an unsupported server or a wrong environments file exits with code 2.</summary>
    public static void Ci(RecipeContext context, TargetRun run) => _ = CiArguments.Generate(context);

    /// <summary>
    /// <c>--version=V</c> once chose the version Deploy deploys; now it is only the version to build, so a Deploy that
    /// builds nothing would silently deploy another version than the one asked for.
    /// </summary>
    private static void OldVersionSpelling(RecipeContext context, TargetRun run)
    {
        var source = context.SettingSources["version"];
        if (run.Runs("Version") || source.Origin is not (RecipeSettingOrigin.CommandLine or RecipeSettingOrigin.Environment))
        {
            return;
        }

        throw new RecipeConfigurationException(
            $"Deploy takes the version to deploy as --deploy-version={context.Settings.VersionOverride}; the setting 'version' (from {source.Description}) is the version to build.");
    }
}
