namespace Recipes.Router;

/// <summary>A release the router forwards to: a name, a loopback address and a share of the traffic (0-100).</summary>
public sealed record DestinationDocument(string Name, string Address, int Weight);

/// <summary>The mirror (shadow) destination that receives copies of GET and HEAD requests.</summary>
public sealed record MirrorDocument(string Name, string Address);

/// <summary>The body of <c>PUT /config</c>: the destinations and their weights, and an optional mirror.</summary>
public sealed record RouteDocument(IReadOnlyList<DestinationDocument>? Destinations, MirrorDocument? Mirror)
{
    /// <summary>Checks the document; returns one line that says what to fix, or null when it is valid.</summary>
    public string? Validate()
    {
        if (Destinations is null || Destinations.Count == 0)
        {
            return "The route config has no destinations; give at least one { \"name\", \"address\", \"weight\" }.";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var destination in Destinations)
        {
            if (destination is null || string.IsNullOrWhiteSpace(destination.Name))
            {
                return "A destination has no name; give each destination a unique name such as \"blue\".";
            }

            if (!names.Add(destination.Name))
            {
                return $"Destination name '{destination.Name}' appears twice; give each destination a unique name.";
            }

            if (AddressError(destination.Name, destination.Address) is { } addressError)
            {
                return addressError;
            }

            if (destination.Weight is < 0 or > 100)
            {
                return $"Destination '{destination.Name}' has weight {destination.Weight}; use a weight from 0 to 100.";
            }
        }

        if (Destinations.Sum(d => d.Weight) == 0)
        {
            return "Every destination has weight 0; give at least one destination a positive weight.";
        }

        if (Mirror is not null)
        {
            if (string.IsNullOrWhiteSpace(Mirror.Name) || names.Contains(Mirror.Name))
            {
                return "The mirror needs a name that no destination uses, such as \"shadow\".";
            }

            return AddressError(Mirror.Name, Mirror.Address);
        }

        return null;
    }

    private static string? AddressError(string name, string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"Destination '{name}' has address '{address}'; use an absolute http(s) URL such as http://127.0.0.1:6001.";
}

/// <summary>The route in force, as <c>GET /config</c> returns it: the document and the number of its version.</summary>
public sealed record ActiveRouteDocument(long Version, IReadOnlyList<DestinationDocument> Destinations, MirrorDocument? Mirror);
