using Recipes.Deployment.Local;

namespace Recipes.Tests.Deployment.Local;

/// <summary>The deployer's yielding over a session of the test's own (its nice in a variable), so nothing of this process changes.</summary>
public sealed class DeployerPriorityTests
{
    private int? _session = 0;
    private bool _refuse;
    private readonly List<int> _writes = [];

    private DeployerPriority Priority() => new(() => _session, niceness =>
    {
        if (_refuse)
        {
            return false;
        }

        _writes.Add(niceness);
        _session = niceness;
        return true;
    });

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void A_deployment_lowers_its_session_to_nice_19_while_it_works_and_gives_it_back_its_own_after(int own)
    {
        _session = own;
        var priority = Priority();

        using (priority.Yield().ShouldNotBeNull())
        {
            _session.ShouldBe(DeployerPriority.Niceness);
        }

        _session.ShouldBe(own);
        _writes.ShouldBe([DeployerPriority.Niceness, own]);
    }

    [Fact]
    public void Deployments_at_once_share_one_lowering_and_the_last_to_end_raises_it_back()
    {
        var priority = Priority();
        var first = priority.Yield().ShouldNotBeNull();
        var second = priority.Yield().ShouldNotBeNull();

        first.Dispose();
        _session.ShouldBe(DeployerPriority.Niceness);
        first.Dispose();
        _session.ShouldBe(DeployerPriority.Niceness, "a second Dispose of the same lowering must not end the other deployment's");

        second.Dispose();
        _session.ShouldBe(0);
        _writes.ShouldBe([DeployerPriority.Niceness, 0]);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(19)]
    [InlineData(null)]
    public void A_session_given_a_priority_on_purpose_or_unknown_is_left_alone(int? own)
    {
        _session = own;
        var priority = Priority();

        priority.Yield().ShouldBeNull();

        _session.ShouldBe(own);
        _writes.ShouldBeEmpty();
    }

    [Fact]
    public void A_refused_lowering_changes_nothing_and_a_later_one_still_works()
    {
        var priority = Priority();
        _refuse = true;
        priority.Yield().ShouldBeNull();
        _session.ShouldBe(0);

        _refuse = false;
        using (priority.Yield().ShouldNotBeNull())
        {
            _session.ShouldBe(DeployerPriority.Niceness);
        }

        _session.ShouldBe(0);
    }
}
