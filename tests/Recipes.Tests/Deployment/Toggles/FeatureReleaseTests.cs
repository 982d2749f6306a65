using Recipes.Deployment;
using Recipes.Deployment.Toggles;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Toggles;

public sealed class FeatureReleaseTests : IDisposable
{
    private static readonly string[] Declared = ["NewCheckout", "Search"];

    private readonly TempDirectory _temp = new("recipes-release");

    public void Dispose() => _temp.Dispose();

    private FeatureToggleFile File => FeatureToggleFile.For(_temp.Combine("state"), "production");

    [Fact]
    public void Set_writes_the_exposure_and_returns_before_and_after()
    {
        var first = FeatureRelease.Set(File, "production", Declared, "NewCheckout", FeatureExposure.ForShareOfUsers(10));
        first.ShouldBe(new FeatureChange("production", "NewCheckout", null, FeatureExposure.ForShareOfUsers(10), File.Path));
        first.Details.ShouldBe("NewCheckout: not set -> 10% of users");

        var second = FeatureRelease.Set(File, "production", Declared, "NewCheckout", FeatureExposure.On);
        second.Before.ShouldBe(FeatureExposure.ForShareOfUsers(10));
        second.Changed.ShouldBeTrue();
        second.Details.ShouldBe("NewCheckout: 10% of users -> on");
        File.Read("NewCheckout").ShouldBe(FeatureExposure.On);
    }

    [Fact]
    public void A_random_percentage_of_an_older_file_is_read_and_the_same_percentage_released_again_becomes_sticky_per_user()
    {
        File.Write("NewCheckout", FeatureExposure.ForPercentage(10));

        var change = FeatureRelease.Set(File, "production", Declared, "NewCheckout", FeatureExposure.ForShareOfUsers(10));

        change.Details.ShouldBe("NewCheckout: 10% of requests -> 10% of users");
        System.IO.File.ReadAllText(File.Path).ShouldContain("Microsoft.Targeting");
        System.IO.File.ReadAllText(File.Path).ShouldNotContain("Microsoft.Percentage");
    }

    [Fact]
    public void Setting_what_is_already_set_changes_nothing_and_does_not_write()
    {
        FeatureRelease.Set(File, "production", Declared, "Search", FeatureExposure.Off);
        var written = System.IO.File.GetLastWriteTimeUtc(File.Path);
        System.IO.File.SetLastWriteTimeUtc(File.Path, written.AddMinutes(-5));

        var change = FeatureRelease.Set(File, "production", Declared, "Search", FeatureExposure.Off);

        change.Changed.ShouldBeFalse();
        change.Details.ShouldBe("Search: off -> off (unchanged)");
        System.IO.File.GetLastWriteTimeUtc(File.Path).ShouldBe(written.AddMinutes(-5));
    }

    [Fact]
    public void An_undeclared_feature_is_refused_with_the_closest_declared_name()
    {
        var error = Should.Throw<FeatureReleaseException>(() => FeatureRelease.Set(File, "production", Declared, "NewChekout", FeatureExposure.On));

        error.Message.ShouldBe("Feature 'NewChekout' is not declared for environment 'production'; did you mean 'NewCheckout'? (declared: NewCheckout, Search; add new ones under 'features:' in environments.yml).");
        System.IO.File.Exists(File.Path).ShouldBeFalse();
        Should.Throw<FeatureReleaseException>(() => FeatureRelease.Set(File, "production", [], "X", FeatureExposure.On))
            .Message.ShouldStartWith("Environment 'production' declares no features;");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void A_percentage_outside_0_to_100_is_refused(int percentage)
    {
        Should.Throw<FeatureReleaseException>(() => FeatureRelease.Set(File, "production", Declared, "Search", FeatureExposure.ForPercentage(percentage)))
            .Message.ShouldBe($"The percentage is {percentage}; give --percentage=P a whole number from 0 to 100.");
        Should.Throw<FeatureReleaseException>(() => FeatureRelease.Set(File, "production", Declared, "Search",
            FeatureExposure.ForTargeting(new FeatureTargeting([], [new TargetedGroup("beta", percentage)]))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_feature_name_is_refused(string feature)
    {
        Should.Throw<FeatureReleaseException>(() => FeatureRelease.Set(File, "production", Declared, feature, FeatureExposure.On))
            .Message.ShouldBe("No feature named; pass --feature=NAME with one of the features of 'production': NewCheckout, Search.");
    }

    [Fact]
    public void Record_adds_a_succeeded_release_row_of_the_live_version_with_the_change()
    {
        var ledger = DeploymentLedger.Open(_temp.Combine("state", "ledger.db"));
        var deploy = ledger.Begin(new DeploymentRecord("production", "Acme.Shop.Api", "1.2.0", "sha512-x", "abc123", "blue-green", DeploymentKind.Deploy, "alice"));
        ledger.Complete(deploy, DeploymentOutcome.Succeeded);
        var change = FeatureRelease.Set(File, "production", Declared, "NewCheckout", FeatureExposure.ForShareOfUsers(25));

        var id = FeatureRelease.Record(ledger, change, "Acme.Shop.Api", "bob");

        var row = ledger.History("production")[0];
        row.Id.ShouldBe(id);
        row.Kind.ShouldBe(DeploymentKind.Release);
        row.Outcome.ShouldBe(DeploymentOutcome.Succeeded);
        (row.Artifact, row.Version, row.Digest, row.Commit, row.Strategy, row.Who).ShouldBe(("Acme.Shop.Api", "1.2.0", "sha512-x", "abc123", "feature", "bob"));
        row.Details.ShouldBe("NewCheckout: not set -> 25% of users");
        ledger.Live("production")!.Version.ShouldBe("1.2.0");
    }
}
