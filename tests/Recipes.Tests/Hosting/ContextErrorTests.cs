using System.Reflection;
using Cake.Core;
using Recipes.Hosting;

namespace Recipes.Tests.Hosting;

/// <summary>A context that refuses the build's configuration stops it with exit code 2, before any task runs.</summary>
public sealed class ContextErrorTests
{
    public sealed class RefusingContext(ICakeContext context) : FrostingContext(Refuse(context))
    {
        private static ICakeContext Refuse(ICakeContext context) =>
            context.Arguments.HasArgument("wrapped")
                ? throw new TargetInvocationException(new FrostingException("The deploy target 'mars' is not configured."))
                : throw new FrostingException("The deploy target 'mars' is not configured.");
    }

    [Theory]
    [InlineData("--plain")]
    [InlineData("--wrapped")]
    public void A_configuration_error_from_the_context_exits_2_with_its_message_alone(string how)
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Restore>().UseContext<RefusingContext>();

        var error = OneLineError.From(harness, "--target=Restore", how);

        harness.Journal.Entries.ShouldBeEmpty();
        error.ShouldBe("Error: The deploy target 'mars' is not configured.");
    }
}
