using Cake.Core.Diagnostics;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Cake's build log, less the engine's "An error occurred when executing task 'X'." line: the host reports every
/// failed task itself, in one line that also says why (<c>Error: Task 'X' failed: ...</c>), so Cake's line only
/// doubles it.
/// </summary>
internal sealed class HostLog(ICakeLog inner) : ICakeLog
{
    private const string EngineTaskError = "An error occurred when executing task '{0}'.";

    public Verbosity Verbosity
    {
        get => inner.Verbosity;
        set => inner.Verbosity = value;
    }

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (level == LogLevel.Error && format == EngineTaskError)
        {
            return;
        }

        inner.Write(verbosity, level, format, args);
    }
}
