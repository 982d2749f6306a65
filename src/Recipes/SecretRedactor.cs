namespace Recipes;

/// <summary>
/// Replaces secrets with <c>***</c> in text bound for logs and exception messages. Our own messages never include
/// the API key; this guards the text that comes from NuGet and the network, which we do not control.
/// </summary>
internal sealed class SecretRedactor
{
    private const string Mask = "***";
    private readonly string[] _secrets;

    public SecretRedactor(params IEnumerable<string?> secrets) =>
        // Longest first, so a secret that contains another is masked whole.
        _secrets = secrets.Where(secret => !string.IsNullOrEmpty(secret)).Select(secret => secret!).Distinct().OrderByDescending(secret => secret.Length).ToArray();

    public static SecretRedactor None { get; } = new();

    /// <summary>True when there is nothing to mask.</summary>
    public bool IsEmpty => _secrets.Length == 0;

    /// <summary>A redactor that masks these secrets as well.</summary>
    public SecretRedactor With(params IEnumerable<string?> more) => new([.. _secrets, .. more]);

    /// <summary>Whether <paramref name="text"/> holds any of the secrets.</summary>
    public bool Reveals(string text) => _secrets.Any(secret => text.Contains(secret, StringComparison.Ordinal));

    /// <summary>The secrets a feed URL can carry: user info (<c>user:token@</c>) and the query string.</summary>
    public static IEnumerable<string> SecretsIn(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            yield break;
        }

        if (url.UserInfo.Length > 0)
        {
            yield return url.UserInfo;
        }

        if (url.Query.Length > 1)
        {
            yield return url.Query[1..];
        }
    }

    /// <summary>A copy of <paramref name="exception"/> and its causes with the secrets masked, fit to keep as an inner exception.</summary>
    public Exception Redact(Exception exception) => new RedactedException(exception, this);

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
