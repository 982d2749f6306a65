using Recipes.Deployment.Database;

namespace Recipes.Tests.Deployment.Database;

/// <summary>Scripts and outcomes as the runner tests of both engines use them.</summary>
internal static class TestScripts
{
    public static MigrationScript Expand(string file, string sql) => new(MigrationPhase.Expand, "expand/" + file, sql);

    /// <summary>What a run that cannot succeed reports: the failure's reason, or the error of a database that cannot be used.</summary>
    public static string FailureOf(MigrationRunner runner, MigrationScript script)
    {
        try
        {
            return runner.Run([script]).Failure.ShouldNotBeNull().Reason;
        }
        catch (RecipeException error)
        {
            return error.Message;
        }
    }
}
