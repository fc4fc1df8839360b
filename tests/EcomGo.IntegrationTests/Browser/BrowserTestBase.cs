using System.Globalization;
using System.Text.RegularExpressions;
using EcomGo.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace EcomGo.IntegrationTests.Browser;

/// <summary>
/// One headless Debian Chromium per test class (Playwright's own browser download does not work on these machines),
/// plus helpers shared by the storefront browser tests.
/// </summary>
public abstract class BrowserTestBase(AppFixture fixture) : IAsyncLifetime
{
    public const string DemoEmail = "ava.chen@demo.ecomgo.local";
    public const string DemoPassword = "Demo!2345";

    protected AppFixture Fixture { get; } = fixture;
    protected IPlaywright Playwright { get; private set; } = null!;
    protected IBrowser Browser { get; private set; } = null!;
    protected Uri BaseUrl { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        BaseUrl = Fixture.App.GetEndpoint("storefront", "http");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath, // Debian's Chromium (/usr/bin/chromium); never Playwright's download
            Headless = true,
            Args = Chromium.LaunchArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
    }

    /// <summary>A fresh browser context (own cookies), so each scenario starts as a new anonymous visitor.</summary>
    protected async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    protected static async Task SignInAsync(IPage page, string email = DemoEmail, string password = DemoPassword)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-menu")).ToBeVisibleAsync();
    }

    protected static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name);
        // Let lazily loaded product images arrive before a full-page capture.
        await page.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Runs a scenario; on failure saves a screenshot of the page (screenshots/failed-{name}.png) before rethrowing.</summary>
    protected static async Task CaptureOnFailureAsync(IPage page, string name, Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch
        {
            try
            {
                await ScreenshotAsync(page, $"failed-{name}.png");
            }
            catch (PlaywrightException)
            {
                // The page may be gone; the original failure matters more.
            }

            throw;
        }
    }

    /// <summary>Parses "rgb(r, g, b)" / "rgba(r, g, b, a)" as returned by getComputedStyle.</summary>
    protected static (int R, int G, int B, double A) ParseColor(string css)
    {
        var match = Regex.Match(css, @"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)");
        Assert.True(match.Success, $"Unexpected colour format: {css}");
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture),
            match.Groups[4].Success ? double.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture) : 1.0);
    }
}
