using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Recipes.Tests.Support;

/// <summary>
/// A webhook on loopback made by a test: it keeps the JSON bodies posted to <see cref="Url"/> in arrival order, and can
/// be told to answer slowly. The URL carries a token, as real webhooks do, so tests can check it never leaks.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _received = new();

    private WebhookReceiver(WebApplication app, string token)
    {
        _app = app;
        Token = token;
    }

    /// <summary>The secret part of the URL.</summary>
    public string Token { get; }

    /// <summary>The webhook's URL, with its token.</summary>
    public Uri Url => new(LoopbackApp.Address(_app), $"hook/{Token}");

    /// <summary>How long it waits before answering.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The bodies received so far, in order.</summary>
    public IReadOnlyList<JsonElement> Received => [.. _received];

    /// <summary>The <c>event</c> field of each body received so far, in order.</summary>
    public IReadOnlyList<string> Events => [.. _received.Select(body => body.GetProperty("event").GetString()!)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var receiver = new WebhookReceiver(app, Guid.NewGuid().ToString("N"));
        app.MapPost("/hook/{token}", async (string token, HttpRequest request, CancellationToken aborted) =>
        {
            if (token != receiver.Token)
            {
                return Results.NotFound();
            }

            await Task.Delay(receiver.Delay, aborted);
            receiver._received.Enqueue(await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: aborted));
            return Results.NoContent();
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> bodies arrived, or 10 s.</summary>
    public async Task<IReadOnlyList<string>> WaitForEventsAsync(int count)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (_received.Count < count && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        return Events;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
