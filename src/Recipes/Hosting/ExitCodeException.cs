namespace Recipes.Hosting;

/// <summary>
/// A task's failure with an exit code other than 1, for a target whose codes mean more than pass and fail: Drift
/// exits 1 when it finds drift and 2 when it cannot check, as <c>terraform plan -detailed-exitcode</c> does.
/// </summary>
internal sealed class ExitCodeException(int exitCode, string message) : Exception(message)
{
    /// <summary>The process exit code the run ends with.</summary>
    public int ExitCode { get; } = exitCode;
}
