using EcomGo.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EcomGo.IntegrationTests.Browser;

/// <summary>A product page from the shared page cache carries no anti-forgery token; its form must still work in a browser.</summary>
[Collection(AppCollection.Name)]
public sealed class CachedPageBrowserTests(AppFixture fixture) : BrowserTestBase(fixture)
{
    [Fact]
    public async Task An_anonymous_shopper_adds_to_the_cart_from_a_cached_product_page()
    {
        const string path = "/products/7";
        var page = await NewPageAsync();
        // The first view sets this browser's cookies (never stored); later ones are stored and then come from the cache.
        var fromCache = false;
        for (var i = 0; i < 6 && !fromCache; i++)
        {
            var response = await page.GotoAsync(path);
            fromCache = (await response!.AllHeadersAsync()).ContainsKey("age");
        }

        Assert.True(fromCache, "the product page never came from the cache");
        Assert.Equal("", await page.Locator("form.add-to-cart input[name=__RequestVerificationToken]").InputValueAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Added 1 to your cart");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("1");
    }
}
