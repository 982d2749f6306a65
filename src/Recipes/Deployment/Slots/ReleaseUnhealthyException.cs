namespace Recipes.Deployment.Slots;

/// <summary>A started release did not become healthy in time, or exited before it did.</summary>
internal sealed class ReleaseUnhealthyException : RecipeException
{
    /// <summary>Creates the exception with a message that says what was asked, what came back and where the log is.</summary>
    public ReleaseUnhealthyException(string message) : base(message)
    {
    }
}
