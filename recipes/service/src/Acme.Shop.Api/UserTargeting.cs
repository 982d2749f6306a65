using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Acme.Shop.Api;

/// <summary>
/// Tells the feature manager who the current request is for, so that a percentage release (Microsoft.Targeting, which
/// <c>Release --percentage=P</c> writes) gives the same user the same answer on every request: the signed-in user's
/// name, else the <see cref="Header"/> header. A request with neither has no targeting context and so is outside
/// every percentage (the feature is off for it); a feature released with <c>--enabled=true</c> is on for it too.
/// </summary>
public sealed class UserTargeting(IHttpContextAccessor http) : ITargetingContextAccessor
{
    /// <summary>The header that names the user when nobody is signed in, such as a gateway's authenticated user id.</summary>
    public const string Header = "X-User-Id";

    /// <inheritdoc />
    public ValueTask<TargetingContext> GetContextAsync() =>
        new(UserId(http.HttpContext) is { } user ? new TargetingContext { UserId = user } : null!);

    /// <summary>The user of <paramref name="context"/>, or null for an anonymous request.</summary>
    public static string? UserId(HttpContext? context) =>
        context?.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name
        : context?.Request.Headers[Header].ToString() is { Length: > 0 } header ? header
        : null;

    /// <summary>The feature manager with targeting by <see cref="UserTargeting"/>, as the app uses it.</summary>
    public static IServiceCollection AddFeatureToggles(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddFeatureManagement().WithTargeting<UserTargeting>();
        return services;
    }
}
