using System.Diagnostics;
using System.Globalization;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;

namespace Recipes.Feeds;

/// <summary>
/// Builds the NuGet <see cref="SourceRepository"/> an <see cref="HttpFeed"/> pushes through, with NuGet's HTTP retries
/// taken out. NuGet retries 5xx and 429 itself with up to six tries a second or more apart; under our own
/// backoff that would multiply into minutes, and <see cref="HttpFeedRetryPolicy"/> would no longer say what happens.
/// </summary>
internal static class SingleTryHttpSource
{
    public static SourceRepository CreateRepository(string serviceIndex)
    {
        var providers = Repository.Provider.GetCoreV3()
            .Where(provider => provider.Value.ResourceType != typeof(HttpSourceResource))
            .Append(new Lazy<INuGetResourceProvider>(() => new Provider()));
        return new SourceRepository(new PackageSource(serviceIndex), providers);
    }

    /// <summary>Gives the repository one <see cref="HttpSource"/> that sends each request once.</summary>
    private sealed class Provider : ResourceProvider
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private HttpSourceResource? _resource;

        public Provider() : base(typeof(HttpSourceResource), nameof(SingleTryHttpSource))
        {
        }

        public override async Task<Tuple<bool, INuGetResource?>> TryCreate(SourceRepository source, CancellationToken token)
        {
            await _gate.WaitAsync(token);
            try
            {
                if (_resource is null)
                {
                    var httpSource = HttpSource.Create(source);
                    httpSource.RetryHandler = new SendOnce();
                    _resource = new HttpSourceResource(httpSource);
                }

                return Tuple.Create<bool, INuGetResource?>(true, _resource);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Sends the request once, within its timeout, and logs it as NuGet would ("PUT url", then the status).</summary>
    private sealed class SendOnce : IHttpRetryHandler
    {
        public Task<HttpResponseMessage> SendAsync(HttpRetryHandlerRequest request, ILogger log, CancellationToken cancellationToken) =>
            SendAsync(request, string.Empty, log, cancellationToken);

        public async Task<HttpResponseMessage> SendAsync(HttpRetryHandlerRequest request, string sourceUri, ILogger log, CancellationToken cancellationToken)
        {
            using var message = request.RequestFactory();
            foreach (var header in request.AddHeaders)
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (request.RequestTimeout > TimeSpan.Zero && request.RequestTimeout != Timeout.InfiniteTimeSpan)
            {
                timeout.CancelAfter(request.RequestTimeout);
            }

            log.LogInformation($"{message.Method} {message.RequestUri}");
            var clock = Stopwatch.StartNew();
            try
            {
                var response = await request.HttpClient.SendAsync(message, request.CompletionOption, timeout.Token);
                log.LogInformation(string.Create(CultureInfo.InvariantCulture,
                    $"{HttpFailures.Describe(response.StatusCode)} {message.RequestUri} {clock.ElapsedMilliseconds}ms"));
                return response;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{message.Method} {message.RequestUri} got no answer within {request.RequestTimeout.TotalSeconds:0} s", e);
            }
        }
    }
}
