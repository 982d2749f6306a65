namespace Recipes.Feeds;

/// <summary>
/// How often an <see cref="HttpFeed"/> tries a request that failed for a passing reason (HTTP 5xx, 408, 429, a refused
/// or timed-out connection), with exponential backoff: <see cref="FirstDelay"/>, then twice that, and so on.
/// </summary>
/// <param name="Attempts">Tries in all, the first included; at least 1.</param>
/// <param name="FirstDelay">The wait before the second try; one second when null.</param>
public sealed record HttpFeedRetryPolicy(int Attempts = 4, TimeSpan? FirstDelay = null)
{
    private static readonly TimeSpan DefaultFirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>Tries in all, the first included.</summary>
    public int Attempts { get; init; } = Attempts >= 1
        ? Attempts
        : throw new ArgumentOutOfRangeException(nameof(Attempts), Attempts, "a feed request needs at least one attempt");

    /// <summary>The wait before the second try.</summary>
    public TimeSpan? FirstDelay { get; init; } = FirstDelay is null || FirstDelay >= TimeSpan.Zero
        ? FirstDelay
        : throw new ArgumentOutOfRangeException(nameof(FirstDelay), FirstDelay, "a retry delay cannot be negative");

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based).</summary>
    internal TimeSpan DelayAfter(int attempt) => (FirstDelay ?? DefaultFirstDelay) * Math.Pow(2, attempt - 1);
}
