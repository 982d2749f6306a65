using Recipes.Feeds;

namespace Recipes.Tests.Feeds;

public sealed class PackageFeedsTests
{
    [Theory]
    [InlineData("https://nuget.example.com/v3/index.json")]
    [InlineData("http://127.0.0.1:5000/v3/index.json")]
    public void An_http_or_https_url_opens_an_http_feed(string url)
    {
        var feed = PackageFeeds.Open(url, "key");

        feed.ShouldBeOfType<HttpFeed>().DisplayName.ShouldBe(url);
    }

    [Fact]
    public void A_relative_path_opens_a_folder_feed_against_the_current_directory()
    {
        var feed = PackageFeeds.Open(Path.Combine("artifacts", "feed"), apiKey: null);

        feed.ShouldBeOfType<FolderFeed>().DisplayName.ShouldBe(Path.Combine(Environment.CurrentDirectory, "artifacts", "feed"));
    }

    [Fact]
    public void An_absolute_path_or_a_file_url_opens_a_folder_feed()
    {
        var folder = Path.Combine(Path.GetTempPath(), "recipes-feed");

        PackageFeeds.Open(folder, null).ShouldBeOfType<FolderFeed>().DisplayName.ShouldBe(folder);
        PackageFeeds.Open(new Uri(folder).AbsoluteUri, null).ShouldBeOfType<FolderFeed>().DisplayName.ShouldBe(folder);
    }

    [Fact]
    public void The_display_name_drops_user_info_and_query_where_credentials_hide()
    {
        var feed = PackageFeeds.Open("https://publisher:s3cret@nuget.example.com/v3/index.json?token=abc123", "key");

        feed.DisplayName.ShouldBe("https://nuget.example.com/v3/index.json");
    }

    [Theory]
    [InlineData("http://[bad/v3/index.json", "is not a valid URL")]
    [InlineData("ftp://files.example.com/feed", "uses ftp:, which Recipes cannot push to")]
    [InlineData("   ", "no feed was given")]
    public void A_bad_location_is_a_configuration_error(string location, string expected)
    {
        var error = Should.Throw<FeedConfigurationException>(() => PackageFeeds.Open(location, "key"));

        error.Message.ShouldContain(expected);
        error.ShouldBeAssignableTo<RecipeException>();
    }

    [Fact]
    public void A_malformed_url_is_shown_without_its_credentials()
    {
        var error = Should.Throw<FeedConfigurationException>(() => PackageFeeds.Open("https://me:hunter22@[bad/v3/index.json", "the-api-key-1234"));

        error.Message.ShouldNotContain("hunter22");
        error.Message.ShouldContain("https://***@[bad/v3/index.json");
    }
}
