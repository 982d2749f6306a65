namespace Recipes.Router;

/// <summary>
/// Honours the <see cref="PinSignature.Header"/> header on the public port: a request signed with this router's admin
/// token goes to the destination it names, whatever the weights (a canary deployment's synthetic probes); one with a
/// wrong signature is refused with 403. The header is removed before the request is forwarded or mirrored, so a release
/// never sees it.
/// </summary>
internal sealed class DestinationPin(string token)
{
    private const string ItemKey = "Recipes.Router.PinnedDestination";

    /// <summary>The destination the current request is pinned to, or null.</summary>
    public static string? PinnedDestination(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var destination) ? destination as string : null;

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (!context.Request.Headers.TryGetValue(PinSignature.Header, out var values))
        {
            await next();
            return;
        }

        context.Request.Headers.Remove(PinSignature.Header);

        if (PinSignature.Verify(token, values.ToString()) is not { } destination)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync($"{PinSignature.Header} is not signed with this router's admin token; only the deployment that holds the token pins requests.\n");
            return;
        }

        context.Items[ItemKey] = destination;
        await next();
    }
}
