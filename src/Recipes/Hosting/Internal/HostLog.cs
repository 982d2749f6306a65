using Cake.Core.Diagnostics;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Cake's build log, less the engine's "An error occurred when executing task 'X'." line: the host reports every
/// failed task itself, in one line that also says why (<c>Error: Task 'X' failed: ...</c>), so Cake's line only
/// doubles it. Secrets handed to <see cref="Mask"/> are masked in every line, at every verbosity.
/// </summary>
internal sealed class HostLog(ICakeLog inner) : ICakeLog
{
    private const string EngineTaskError = "An error occurred when executing task '{0}'.";
    private volatile SecretRedactor _secrets = SecretRedactor.None;

    /// <summary>Masks <paramref name="secrets"/> in everything logged from now on, as a CI server's add-mask does.</summary>
    public void Mask(params IEnumerable<string?> secrets) => _secrets = _secrets.With(secrets);

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

        var secrets = _secrets;
        if (secrets.IsEmpty)
        {
            inner.Write(verbosity, level, format, args);
            return;
        }

        // Arguments stay objects (so their format specifiers apply) unless their text would show a secret.
        var masked = args.Select(arg => arg?.ToString() is { } text && secrets.Reveals(text) ? secrets.Redact(text) : arg).ToArray();
        inner.Write(verbosity, level, secrets.Redact(format), masked!);
    }
}
