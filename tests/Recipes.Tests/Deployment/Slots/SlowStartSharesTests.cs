using Recipes.Deployment.Slots;

namespace Recipes.Tests.Deployment.Slots;

/// <summary>The new release's shares of the traffic during a blue-green slow start: one step per half second, rising evenly, never 0 or 100.</summary>
public sealed class SlowStartSharesTests
{
    [Theory]
    [InlineData(3, new[] { 14, 29, 43, 57, 71, 86 })]
    [InlineData(1, new[] { 33, 67 })]
    [InlineData(0.1, new[] { 33, 67 })]
    public void Shares_rise_evenly_one_step_per_half_second(double seconds, int[] expected)
    {
        Rollouts.SlowStartShares(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);
    }

    [Fact]
    public void The_longest_slow_start_still_rises_in_distinct_steps_below_100()
    {
        var shares = Rollouts.SlowStartShares(TimeSpan.FromMinutes(2));

        shares.ShouldBeInOrder(SortDirection.Ascending);
        shares.Distinct().Count().ShouldBe(shares.Count);
        shares[0].ShouldBe(1);
        shares[^1].ShouldBe(99);
    }
}
