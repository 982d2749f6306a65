namespace Recipes.Hosting;

/// <summary>A build that cannot start as configured: a bad task graph, an unknown target, a missing working directory.</summary>
public class FrostingException : Exception
{
    /// <summary>Creates the exception with a message that says what to fix.</summary>
    public FrostingException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public FrostingException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
