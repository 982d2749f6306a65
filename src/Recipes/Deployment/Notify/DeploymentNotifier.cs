using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;

namespace Recipes.Deployment.Notify;

/// <summary>
/// Posts an environment's deployment events to its webhook, in order, from a background queue: a dead or slow webhook
/// never fails nor holds up a deployment. Each post has a short timeout and one retry; once an event cannot be
/// delivered the webhook is given up for the run with one warning line. The URL (a secret) is never written anywhere.
/// </summary>
internal sealed class DeploymentNotifier : IAsyncDisposable
{
    /// <summary>How long a post may take before it is abandoned (then retried once).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http;
    private readonly Uri _webhook;
    private readonly string _variable;
    private readonly Action<string> _log;
    private readonly Channel<DeploymentEvent> _queue = Channel.CreateUnbounded<DeploymentEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sending;
    private readonly TimeSpan _flushLimit;
    private bool _givenUp;

    private DeploymentNotifier(Uri webhook, string variable, Action<string> log, TimeSpan timeout, HttpMessageHandler? handler)
    {
        _webhook = webhook;
        _variable = variable;
        _log = log;
        _flushLimit = timeout;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }) { Timeout = timeout };
        _sending = Task.Run(SendAllAsync);
    }

    /// <summary>
    /// The notifier of <paramref name="environment"/>, or null when it declares no webhook or its variable holds no
    /// http(s) URL (then one warning line says so, naming the variable only).
    /// </summary>
    public static DeploymentNotifier? For(DeploymentEnvironment environment, Action<string> log, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
    {
        if (environment.Notify is not { } notify)
        {
            return null;
        }

        var variable = notify.WebhookVariable;
        var text = System.Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            log($"Warning: webhook from {variable}: the variable is not set, so no deployment events are posted");
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var webhook) || (webhook.Scheme != Uri.UriSchemeHttp && webhook.Scheme != Uri.UriSchemeHttps))
        {
            log($"Warning: webhook from {variable}: the variable does not hold an http(s) URL, so no deployment events are posted");
            return null;
        }

        log($"Deployment events of {environment.Name} go to the webhook from {variable}");
        return new DeploymentNotifier(webhook, variable, log, timeout ?? DefaultTimeout, handler);
    }

    /// <summary>Queues <paramref name="deploymentEvent"/>; returns at once.</summary>
    public void Post(DeploymentEvent deploymentEvent) => _queue.Writer.TryWrite(deploymentEvent);

    /// <summary>Lets the queued events go out for at most one timeout more, then gives up on the rest (one line).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (await Task.WhenAny(_sending, Task.Delay(_flushLimit)) != _sending)
        {
            await _stop.CancelAsync();
            _log($"Warning: webhook from {_variable}: the events still queued were not delivered before the deployment ended");
        }

        await _sending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task SendAllAsync()
    {
        try
        {
            await foreach (var deploymentEvent in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                if (!_givenUp && await DeliverAsync(deploymentEvent) is { } problem)
                {
                    _givenUp = true;
                    _log($"Warning: webhook from {_variable}: the {deploymentEvent.Event} event was not delivered ({problem}); no more events are posted in this run, and the deployment goes on");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Posts one event, retrying once; null when delivered, else why not (without the URL: it may hold a token).</summary>
    private async Task<string?> DeliverAsync(DeploymentEvent deploymentEvent)
    {
        string? problem = null;
        for (var attempt = 1; attempt <= 2 && !_stop.IsCancellationRequested; attempt++)
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(_webhook, deploymentEvent, JsonSerializerOptions.Web, _stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    return null;
                }

                problem = $"it answered {(int)response.StatusCode}";
            }
            catch (TaskCanceledException) when (!_stop.IsCancellationRequested)
            {
                problem = $"no answer within {_http.Timeout.TotalSeconds:0.#} s";
            }
            catch (HttpRequestException failure)
            {
                // The exception's own message names the host and port; the socket's error alone says enough.
                problem = failure.HttpRequestError == HttpRequestError.ConnectionError ? "it refused the connection or could not be reached" : $"the request failed ({failure.HttpRequestError})";
            }
        }

        return problem ?? "the run ended first";
    }
}
