using Recipes.Testing;

namespace Recipes.Tests.Testing;

/// <summary>Which runtime a test project's target frameworks ran on under DOTNET_ROLL_FORWARD=Major, and when the log says so.</summary>
public sealed class RuntimeRollForwardTests
{
    private static readonly IReadOnlyList<Version> TenOnly = [new(10, 0, 0), new(10, 0, 1)];

    [Fact]
    public void A_project_whose_runtime_is_missing_is_said_once_with_the_runtime_that_ran_it()
    {
        RuntimeRollForward.Notice("Acme.Tests", ["net8.0"], TenOnly)
            .ShouldBe("Acme.Tests (net8.0) ran on .NET 10.0.1: no net8.0 runtime here; DOTNET_ROLL_FORWARD=Major");
    }

    [Fact]
    public void Several_missing_frameworks_share_one_line_and_one_present_is_not_named()
    {
        RuntimeRollForward.Notice("Acme.Tests", ["net6.0", "net8.0", "net10.0"], TenOnly)
            .ShouldBe("Acme.Tests (net6.0, net8.0) ran on .NET 10.0.1: no net6.0, net8.0 runtime here; DOTNET_ROLL_FORWARD=Major");
    }

    [Theory]
    [InlineData("net10.0")]
    [InlineData("net48")]
    [InlineData("netstandard2.0")]
    [InlineData("net11.0")]
    public void Nothing_is_said_when_the_framework_has_its_own_runtime_is_not_NET_Core_or_has_none_to_roll_to(string tfm) =>
        RuntimeRollForward.Notice("Acme.Tests", [tfm], TenOnly).ShouldBeNull();

    [Fact]
    public void Roll_forward_Major_takes_the_lowest_higher_major_and_its_latest_patch_and_stays_in_the_own_major_when_it_can()
    {
        IReadOnlyList<Version> installed = [new(8, 0, 5), new(9, 0, 1), new(9, 0, 3), new(10, 0, 1)];

        RuntimeRollForward.RuntimeFor(new Version(6, 0), installed).ShouldBe(new Version(8, 0, 5));
        RuntimeRollForward.RuntimeFor(new Version(8, 1), installed).ShouldBe(new Version(9, 0, 3));
        RuntimeRollForward.RuntimeFor(new Version(9, 0), installed).ShouldBe(new Version(9, 0, 3));
        RuntimeRollForward.RuntimeFor(new Version(11, 0), installed).ShouldBeNull();
        RuntimeRollForward.RuntimeVersionOf("net8.0-windows").ShouldBe(new Version(8, 0));
        RuntimeRollForward.RuntimeVersionOf("netcoreapp3.1").ShouldBe(new Version(3, 1));
    }

    [Fact]
    public void The_runtime_list_is_read_from_dotnet_list_runtimes_without_other_frameworks_or_previews()
    {
        const string output = """
            Microsoft.AspNetCore.App 10.0.1 [/usr/share/dotnet/shared/Microsoft.AspNetCore.App]
            Microsoft.NETCore.App 8.0.11 [/usr/share/dotnet/shared/Microsoft.NETCore.App]
            Microsoft.NETCore.App 10.0.0-rc.2.25502.107 [/usr/share/dotnet/shared/Microsoft.NETCore.App]
            Microsoft.NETCore.App 10.0.1 [/usr/share/dotnet/shared/Microsoft.NETCore.App]
            """;

        RuntimeRollForward.ParseRuntimeList(output).ShouldBe([new Version(8, 0, 11), new Version(10, 0, 1)]);
    }
}
