namespace Recipes.Deployment;

/// <summary>Another deployment holds the environment's lock and did not release it within the wait.</summary>
public sealed class DeploymentLockedException : RecipeException
{
    /// <summary>Creates the exception naming the lock's holder.</summary>
    /// <param name="environment">The locked environment.</param>
    /// <param name="holder">Who holds the lock.</param>
    /// <param name="processId">The holder's process id.</param>
    /// <param name="machine">The machine the holder runs on.</param>
    /// <param name="since">When the holder took the lock.</param>
    /// <param name="waited">How long this deployment waited.</param>
    public DeploymentLockedException(string environment, string holder, int processId, string machine, DateTimeOffset since, TimeSpan waited)
        : base($"Environment '{environment}' is locked by {holder} (pid {processId} on {machine}) since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z; " +
               $"waited {DurationText.Format(waited)}. Wait for that deployment to finish and run again, or, if it is stuck, end process {processId} on {machine}.")
    {
        Environment = environment;
        Holder = holder;
        ProcessId = processId;
        Machine = machine;
        Since = since;
    }

    /// <summary>The locked environment.</summary>
    public string Environment { get; }

    /// <summary>Who holds the lock.</summary>
    public string Holder { get; }

    /// <summary>The holder's process id.</summary>
    public int ProcessId { get; }

    /// <summary>The machine the holder runs on.</summary>
    public string Machine { get; }

    /// <summary>When the holder took the lock.</summary>
    public DateTimeOffset Since { get; }
}
