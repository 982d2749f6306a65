namespace Recipes.Deployment.Watch;

/// <summary>A release broke a limit of its environment's watch after it went live; the message says what and where it is now.</summary>
internal sealed class WatchAlertException : RecipeException
{
    public WatchAlertException(string message) : base(message)
    {
    }

    public WatchAlertException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
