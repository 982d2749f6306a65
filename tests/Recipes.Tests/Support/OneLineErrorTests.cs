namespace Recipes.Tests.Support;

/// <summary>The one-line-error harness fails a test on each way a refusal can go wrong, so that passing it means something.</summary>
public sealed class OneLineErrorTests
{
    [Fact]
    public void A_single_error_line_with_the_exit_code_and_the_names_passes()
    {
        OneLineError.Of(2, "Error: --limit is '0'; give a whole number from 1.\n").Naming("--limit", "'0'").Line
            .ShouldBe("Error: --limit is '0'; give a whole number from 1.");
    }

    [Theory]
    [InlineData(1, "Error: one line\n")]
    [InlineData(2, "Error: one line\nand a stack trace\n")]
    [InlineData(2, "one line without the prefix\n")]
    [InlineData(2, "")]
    public void Another_exit_code_a_second_line_or_no_error_prefix_fails(int exit, string error)
    {
        Should.Throw<ShouldAssertException>(() => OneLineError.Of(exit, error));
    }

    [Fact]
    public void A_line_that_does_not_name_the_value_fails()
    {
        Should.Throw<ShouldAssertException>(() => OneLineError.Of(2, "Error: a number is wrong").Naming("--limit"));
    }
}
