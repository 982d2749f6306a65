namespace Recipes.Deployment.Toggles;

/// <summary>
/// Who sees a feature: nobody, everybody, a random share of evaluations (<see cref="Percentage"/>, read from older
/// files), or chosen users, groups and a sticky share of the rest (<see cref="Targeting"/>). At most one of the two is set.
/// </summary>
/// <param name="Enabled">Whether the feature is on at all; when false nobody sees it.</param>
/// <param name="Percentage">The share of evaluations, 0 to 100, that see the feature (Microsoft.Percentage), or null.</param>
/// <param name="Targeting">The users and groups that see the feature (Microsoft.Targeting), or null.</param>
public sealed record FeatureExposure(bool Enabled, int? Percentage = null, FeatureTargeting? Targeting = null)
{
    /// <summary>On for everybody.</summary>
    public static FeatureExposure On { get; } = new(true);

    /// <summary>Off for everybody.</summary>
    public static FeatureExposure Off { get; } = new(false);

    /// <summary>On for <paramref name="percentage"/> percent of evaluations, chosen at random each time.</summary>
    public static FeatureExposure ForPercentage(int percentage) => new(true, percentage);

    /// <summary>
    /// On for <paramref name="percentage"/> percent of users, the same answer every time for a user: targeting with
    /// no named users or groups, whose user id the app supplies (what <c>Release --percentage=P</c> writes).
    /// </summary>
    internal static FeatureExposure ForShareOfUsers(int percentage) => ForTargeting(new FeatureTargeting([], [], percentage));

    /// <summary>On for the users and groups of <paramref name="targeting"/>, the same answer every time for a user.</summary>
    public static FeatureExposure ForTargeting(FeatureTargeting targeting) => new(true, null, targeting);

    /// <summary>
    /// A short description for summaries and ledger details: <c>off</c>, <c>on</c>, <c>10% of users</c> (sticky),
    /// <c>10% of requests</c> (random, from older files), <c>targeting (...)</c>.
    /// </summary>
    public override string ToString() =>
        !Enabled ? "off"
        : Percentage is { } percentage ? $"{percentage}% of requests"
        : Targeting is { Users.Count: 0, Groups.Count: 0 } share ? $"{share.DefaultRolloutPercentage}% of users"
        : Targeting is { } targeting ? $"targeting ({targeting})"
        : "on";

    /// <summary>Whether both describe the same exposure (lists compared by content).</summary>
    public bool Equals(FeatureExposure? other) =>
        other is not null && Enabled == other.Enabled && Percentage == other.Percentage
        && (Targeting is null ? other.Targeting is null : Targeting.Equals(other.Targeting));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Enabled, Percentage, Targeting);
}

/// <summary>The audience of a targeted feature (Microsoft.Targeting): named users, groups, and a share of everyone else.</summary>
/// <param name="Users">Users who always see the feature.</param>
/// <param name="Groups">Groups, each with the share of its members who see the feature.</param>
/// <param name="DefaultRolloutPercentage">The share, 0 to 100, of users in none of the lists who see the feature.</param>
public sealed record FeatureTargeting(IReadOnlyList<string> Users, IReadOnlyList<TargetedGroup> Groups, int DefaultRolloutPercentage = 0)
{
    /// <summary>Users and groups as <c>users alice, bob; groups beta 50%; others 0%</c>.</summary>
    public override string ToString() =>
        $"users {List(Users)}; groups {List(Groups.Select(g => $"{g.Name} {g.RolloutPercentage}%").ToList())}; others {DefaultRolloutPercentage}%";

    /// <summary>Whether both name the same users, groups and default share, in the same order.</summary>
    public bool Equals(FeatureTargeting? other) =>
        other is not null && DefaultRolloutPercentage == other.DefaultRolloutPercentage
        && Users.SequenceEqual(other.Users, StringComparer.Ordinal) && Groups.SequenceEqual(other.Groups);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Users.Count, Groups.Count, DefaultRolloutPercentage);

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);
}

/// <summary>A group of a targeted feature and the share of its members, 0 to 100, who see it.</summary>
/// <param name="Name">The group's name, as the app's targeting context gives it.</param>
/// <param name="RolloutPercentage">The share of the group's members who see the feature.</param>
public sealed record TargetedGroup(string Name, int RolloutPercentage);
