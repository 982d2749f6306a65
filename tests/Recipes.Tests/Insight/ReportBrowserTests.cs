using Microsoft.Playwright;
using Recipes.Insight;
using Recipes.Tests.Support;
using Xunit.Abstractions;

namespace Recipes.Tests.Insight;

/// <summary>
/// The report of <see cref="ThirtyDayLedger"/>'s history, with its git repository at hand, in Debian's headless
/// chromium driven by Playwright: no console error, no request at all beyond the file itself, the charts with one
/// point per week or per deployment, and screenshots at desktop and phone width kept beside the test assembly.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReportBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly ThirtyDayLedger _history = new();
    private readonly TempDirectory _artifacts = new("recipes-report-browser");

    public void Dispose()
    {
        _history.Dispose();
        _artifacts.Dispose();
    }

    [Fact]
    public async Task The_report_renders_in_chromium_with_the_expected_charts_at_desktop_and_phone_width()
    {
        ReportArtifacts.Write(_artifacts.Path);
        var period = new MetricsPeriod(ThirtyDayLedger.From, ThirtyDayLedger.Now);
        var rows = new Dictionary<string, IReadOnlyList<Recipes.Deployment.DeploymentRecord>>
        {
            ["staging"] = _history.Ledger.All("staging"),
            ["production"] = _history.Ledger.All("production"),
        };
        var data = ReportData.Collect(rows, ["staging", "production"], "production", period,
            new GitCommitHistory(_history.Repository.Directory), _artifacts.Path, ThirtyDayLedger.Now);
        var page = Path.Combine(_artifacts.Path, "report", "index.html");
        Directory.CreateDirectory(Path.GetDirectoryName(page)!);
        File.WriteAllText(page, ReportPage.Write(data));

        var chromium = DebianPackages.Require("chromium", "chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
        var screenshots = Path.Combine(AppContext.BaseDirectory, "insight-report");
        Directory.CreateDirectory(screenshots);
        foreach (var (name, width) in new[] { ("desktop", 1280), ("phone", 390) })
        {
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
            var tab = await context.NewPageAsync();
            var problems = new List<string>();
            var requests = new List<string>();
            tab.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning")
                {
                    problems.Add($"console {message.Type}: {message.Text}");
                }
            };
            tab.PageError += (_, error) => problems.Add("page error: " + error);
            tab.RequestFailed += (_, request) => problems.Add($"failed request: {request.Url} {request.Failure}");
            tab.Request += (_, request) => requests.Add(request.Url);

            var response = await tab.GotoAsync(new Uri(page).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
            response.ShouldNotBeNull();

            problems.ShouldBeEmpty();
            requests.ShouldBe([new Uri(page).AbsoluteUri]);
            // Weeks back from July 1: [Jun 1-3) (cut at the start), [Jun 3-10), [Jun 10-17), [Jun 17-24), [Jun 24-Jul 1).
            // By hand from ThirtyDayLedger: frequency has a point every week (0, 2, 3, 1, 0 went live); lead time and
            // failure rate only in the three weeks with deployments; recovery where outages began: 1.2.0 (Jun 6) in
            // the second week, 1.3.0 (Jun 11) and 1.3.1 (Jun 13) in the third.
            (await Points(tab, "frequency")).ShouldBe(5);
            (await Points(tab, "lead-time")).ShouldBe(3);
            (await Points(tab, "failure-rate")).ShouldBe(3);
            (await Points(tab, "recovery")).ShouldBe(2);
            // History: 7 deployments and 2 rollbacks; 1 failed, 2 rolled back or followed by a rollback.
            (await tab.Locator("svg[data-chart=history] circle").CountAsync()).ShouldBe(9);
            (await tab.Locator("svg[data-chart=history] circle.failed").CountAsync()).ShouldBe(1);
            (await tab.Locator("svg[data-chart=history] circle.rolled-back").CountAsync()).ShouldBe(2);
            (await tab.Locator("svg[data-chart=history] circle.rollback").CountAsync()).ShouldBe(2);
            (await tab.Locator("svg[data-chart=run] rect").CountAsync()).ShouldBe(4);
            // Nothing wider than the screen but the tables, which scroll inside their own box.
            (await tab.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(width);

            var screenshot = Path.Combine(screenshots, $"report-{name}.png");
            await tab.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            output.WriteLine($"Screenshot at {width} px: {screenshot}");
            Console.WriteLine($"Screenshot at {width} px: {screenshot}");
            await context.CloseAsync();
        }
    }

    private static Task<int> Points(IPage tab, string chart) => tab.Locator($"svg[data-chart={chart}] circle.point").CountAsync();
}
