using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Deployment.Slots;

namespace Recipes.Tests.Deployment;

/// <summary>The one health wait of the slot targets, against a loopback port nothing listens on (refused at once).</summary>
public sealed class HealthPollerTests
{
    private static readonly Uri Closed = new($"http://127.0.0.1:{ProcessSupervisor.FreeLoopbackPort()}/health");

    [Fact]
    public async Task A_release_that_ends_while_polled_fails_at_once_with_how_it_ended_and_its_log()
    {
        var polls = 0;

        var failure = await Should.ThrowAsync<ReleaseUnhealthyException>(() => HealthPoller.WaitAsync(
            Closed, HealthCheck.Default with { Timeout = TimeSpan.FromMinutes(5) }, "app 1.0 in slot blue",
            _ => Task.FromResult(++polls == 2 ? "stopped (exit code 3)" : null), () => Task.FromResult("; its log ends: boom; see app.log"), null, CancellationToken.None));

        failure.Message.ShouldStartWith($"app 1.0 in slot blue stopped (exit code 3) before GET {Closed} answered 200 (last try: ");
        failure.Message.ShouldEndWith("; its log ends: boom; see app.log");
        polls.ShouldBe(2);
    }

    [Fact]
    public async Task A_release_that_never_answers_fails_after_the_timeout_with_the_last_try_and_the_generic_advice()
    {
        var failure = await Should.ThrowAsync<ReleaseUnhealthyException>(() => HealthPoller.WaitAsync(
            Closed, HealthCheck.Default with { Timeout = TimeSpan.Zero }, "app 1.0 in slot green",
            _ => Task.FromResult<string?>(null), () => Task.FromResult("; see docker logs 0123456789ab"), (_, _) => Task.FromResult("unused: no 404 came"), CancellationToken.None));

        failure.Message.ShouldStartWith($"app 1.0 in slot green did not answer GET {Closed} with 200 within 0 s (last try: ");
        failure.Message.ShouldEndWith("; check the health check path; see docker logs 0123456789ab");
    }
}
