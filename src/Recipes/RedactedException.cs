namespace Recipes;

/// <summary>
/// Stands in for an exception from NuGet or the network whose text may carry a secret (a feed's reason phrase can echo
/// the API key): the same type name, message, stack and causes, with the secrets masked. What prints it, at any
/// verbosity, prints no secret.
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string _typeName;
    private readonly string? _stackTrace;

    public RedactedException(Exception original, SecretRedactor redactor)
        : base(redactor.Redact(original.Message), original.InnerException is null ? null : new RedactedException(original.InnerException, redactor))
    {
        _typeName = original.GetType().FullName ?? original.GetType().Name;
        _stackTrace = original.StackTrace is null ? null : redactor.Redact(original.StackTrace);
        HResult = original.HResult;
    }

    /// <inheritdoc />
    public override string? StackTrace => _stackTrace;

    /// <summary>As <see cref="Exception.ToString"/> would print the original, secrets masked.</summary>
    public override string ToString()
    {
        var text = $"{_typeName}: {Message}";
        if (InnerException is not null)
        {
            text += $" ---> {InnerException}{Environment.NewLine}   --- End of inner exception stack trace ---";
        }

        return _stackTrace is null ? text : text + Environment.NewLine + _stackTrace;
    }
}
