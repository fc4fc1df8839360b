using System.Text.RegularExpressions;
using System.Xml.Linq;
using EcomGo.Storefront.Apis;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EcomGo.IntegrationTests.Browser;

/// <summary>Tampered query strings, ids and return URLs: a clear page or a 404, never the error page.</summary>
public sealed partial class StorefrontBrowserTests
{
    [Fact]
    public async Task Bad_query_strings_and_ids_get_a_clear_page_never_an_error()
    {
        var page = await NewPageAsync();
        await CaptureOnFailureAsync(page, "bad-input", async () =>
        {
            // Unparseable filters are ignored; an unknown category simply has no products.
            var response = await page.GotoAsync("/catalog?page=-5&min=abc&max=&category=999999&manufacturer=x&sort=bogus&promo=maybe");
            Assert.Equal(200, response!.Status);
            await Expect(page.GetByTestId("no-results")).ToBeVisibleAsync();

            // A page past the end shows the last page instead of an empty grid that claims "Page 2147483647".
            response = await page.GotoAsync("/catalog?page=2147483647");
            Assert.Equal(200, response!.Status);
            await Expect(page.Locator("nav.pager > span")).ToHaveTextAsync(new Regex(@"^Page (\d+) of \1$"));
            await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();

            // NUL (PostgreSQL rejects it) and search text far longer than any real query.
            foreach (var path in new[] { "/catalog?q=%00", "/manufacturers?q=%00", "/catalog?q=" + string.Join('+', Enumerable.Repeat("espresso", 600)) })
            {
                response = await page.GotoAsync(path);
                Assert.True(response!.Status == 200, $"{path[..Math.Min(40, path.Length)]} answered {response.Status}");
            }

            var heading = await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync();
            Assert.True(heading.Length < 260, $"search text was not capped: heading has {heading.Length} characters");
            await Expect(page.GetByLabel("Search", new() { Exact = true })).ToHaveAttributeAsync("maxlength", "200");

            // Product ids that are not numbers or do not exist.
            foreach (var path in new[] { "/products/abc", "/products/0", "/products/-1", "/manufacturers/0" })
            {
                response = await page.GotoAsync(path);
                Assert.True(response!.Status == 404, $"{path} answered {response.Status}");
                await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
            }

            // Query flags that are not what the page writes itself are ignored, not a 500.
            response = await page.GotoAsync("/products/1?added=abc&reviewed=maybe");
            Assert.Equal(200, response!.Status);
            response = await page.GotoAsync("/products/1?added=5000");
            Assert.Equal(200, response!.Status);
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Added" })).ToHaveCountAsync(0);

            // Signed in: someone else's or a missing order is "not found"; a tampered flag is ignored.
            await SignInAsync(page);
            response = await page.GotoAsync("/orders/999999");
            Assert.Equal(404, response!.Status);
            await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
            response = await page.GotoAsync("/orders/1?placed=abc");
            Assert.Contains(response!.Status, new[] { 200, 404 });
            response = await page.GotoAsync("/account/reviews?deleted=abc");
            Assert.Equal(200, response!.Status);
            await Expect(page.GetByText("Your review was deleted.")).ToHaveCountAsync(0);
        });
    }

    [Theory]
    [InlineData("%2F%09%2Fexample.com")] // "/<tab>/example.com": browsers drop the tab and go to //example.com
    [InlineData("%2F%2Fexample.com")]
    [InlineData("%2F%5Cexample.com")]
    [InlineData("https%3A%2F%2Fexample.com%2F")]
    public async Task Sign_in_never_redirects_off_site(string returnUrl)
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"/account/login?returnUrl={returnUrl}");
        await page.GetByLabel("Email").FillAsync(DemoEmail);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("account-menu")).ToBeVisibleAsync();
        Assert.Equal(BaseUrl.Authority, new Uri(page.Url).Authority);
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public void Product_image_svg_escapes_names_and_stays_well_formed()
    {
        var svg = ProductImage.Render(7, "<script>alert('x')</script> & \"Co\"\u0001", "Evil' onload='alert(1)", 999, "<b>Cat</b>");

        var doc = XDocument.Parse(svg); // throws on unescaped markup or characters XML does not allow
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Empty(doc.Descendants(ns + "script"));
        Assert.Null(doc.Root!.Attribute("onload"));
        Assert.Equal("<script>alert('x')</script> & \"Co\" by Evil' onload='alert(1)", doc.Root.Element(ns + "title")!.Value);
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "<B>CAT</B>");
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "Evil' onload='alert(1)");
    }
}
