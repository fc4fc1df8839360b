using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Storefront;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Browser;

/// <summary>The digest as a mail client shows it: its HTML in Chromium, pictures from the message itself, a link clicked.</summary>
[Collection(AppCollection.Name)]
public sealed class EmailBrowserTests(AppFixture fixture, ITestOutputHelper output) : BrowserTestBase(fixture)
{
    [Fact]
    public async Task The_digest_renders_with_its_own_pictures_and_a_product_link_leads_to_the_product_page()
    {
        await EmailKit.SendDigestsFromDashboardAsync(Fixture);
        using var inbox = new MailCatcher(Fixture);
        var digest = await inbox.WaitForAsync(StorefrontClient.Ava, EmailKit.DigestSubject, EmailKit.DeliveryTimeout);

        var page = await NewPageAsync();
        var external = new List<string>();
        page.Request += (_, r) =>
        {
            if (r.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                external.Add(r.Url);
            }
        };
        // What a mail client does with cid: references: show the message's own parts.
        await page.SetContentAsync(EmailKit.HtmlWithInlinePictures(digest));
        await CaptureOnFailureAsync(page, "email-digest", async () =>
        {
            Assert.Empty(external); // nothing for a mail client to block
            var pictures = await page.EvaluateAsync<int[]>("() => [...document.images].map(i => i.naturalWidth)");
            Assert.NotEmpty(pictures);
            Assert.All(pictures, width => Assert.True(width > 0, "a picture did not load"));
            output.WriteLine($"Email screenshot: {await ScreenshotAsync(page, "email-digest.png")}");

            var link = page.Locator("a[data-product-id]").First;
            var productId = await link.GetAttributeAsync("data-product-id");
            var name = await link.InnerTextAsync();
            await link.ClickAsync();
            await page.WaitForURLAsync($"**/products/{productId}");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        });
    }
}
