namespace Recipes.Discovery;

/// <summary>When a test project runs in the pipeline.</summary>
public enum TestStage
{
    /// <summary>Runs right after compiling, before anything is packed (unit tests).</summary>
    Fast,

    /// <summary>Runs after publishing, against what was built (integration, acceptance and end-to-end tests).</summary>
    Slow,
}
