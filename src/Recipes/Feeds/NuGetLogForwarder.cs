using NuGet.Common;

namespace Recipes.Feeds;

/// <summary>Passes NuGet's log lines at or above a level to a Recipes log, one line a call, secrets masked.</summary>
internal sealed class NuGetLogForwarder : LoggerBase
{
    private readonly Action<string> _log;
    private readonly LogLevel _minimum;
    private readonly SecretRedactor _redactor;

    public NuGetLogForwarder(Action<string> log, LogLevel minimum, SecretRedactor redactor)
    {
        _log = log;
        _minimum = minimum;
        _redactor = redactor;
    }

    public override void Log(ILogMessage message)
    {
        if (message.Level < _minimum)
        {
            return;
        }

        foreach (var line in message.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            _log(_redactor.Redact(line));
        }
    }

    public override Task LogAsync(ILogMessage message)
    {
        Log(message);
        return Task.CompletedTask;
    }
}
