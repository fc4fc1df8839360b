using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Recommender;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>
/// Anonymous home, catalog and product pages come from the output cache (a cached response carries <c>Age</c>), yet a
/// change shows on the next view; signed-in pages and browsers with a cart are never served from it, and a cached page
/// carries no one's cookies or anti-forgery token while its forms still work.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class PageCacheTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Anonymous_pages_come_from_the_cache_and_a_price_change_shows_right_after()
    {
        await using var db = await Db.OpenAsync(fixture);
        var (productId, price) = (await db.QueryAsync("""SELECT "Id", "Price" FROM storefront."Products" ORDER BY "Id" DESC LIMIT 1""",
            r => (r.GetInt32(0), r.GetDecimal(1)))).Single();
        var path = $"/products/{productId}";
        using var visitor = new StorefrontClient(fixture, withCsrfHeader: false);
        foreach (var page in new[] { "/", "/catalog?category=1", path })
        {
            Assert.True(await ServedFromCacheWithinAsync(visitor, page), $"{page} never came from the cache");
        }

        const decimal newPrice = 4321.09m;
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await db.ScalarAsync("""WITH u AS (UPDATE storefront."Products" SET "Price" = $2 WHERE "Id" = $1 RETURNING 1) SELECT count(*) FROM u""", productId, newPrice);
            var shown = false;
            while (!shown && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
            {
                shown = (await visitor.Http.GetStringAsync(path)).Contains(Price(newPrice), StringComparison.Ordinal);
                if (!shown)
                {
                    await Task.Delay(100);
                }
            }

            output.WriteLine($"new price shown {stopwatch.ElapsedMilliseconds} ms after the database change");
            Assert.True(shown, "the cached product page kept the old price");
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the new price took {stopwatch.ElapsedMilliseconds} ms to show");
        }
        finally
        {
            await db.ScalarAsync("""WITH u AS (UPDATE storefront."Products" SET "Price" = $2 WHERE "Id" = $1 RETURNING 1) SELECT count(*) FROM u""", productId, price);
        }
    }

    [Fact]
    public async Task A_new_review_shows_on_the_cached_product_page_at_once()
    {
        await using var db = await Db.OpenAsync(fixture);
        var productId = (int)await db.ScalarAsync("""SELECT min("Id") FROM storefront."Products" """);
        var path = $"/products/{productId}";
        using var visitor = new StorefrontClient(fixture, withCsrfHeader: false);
        Assert.True(await ServedFromCacheWithinAsync(visitor, path), "the product page never came from the cache");

        using var author = await RecommenderKit.RegisterAsync(fixture);
        var title = $"Cache check {Guid.NewGuid():N}"[..30];
        var posted = await author.Http.PostAsJsonAsync($"/api/products/{productId}/reviews",
            new { rating = 4, title, text = "Solid and well made, arrived quickly and works as described." });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        Assert.Contains(WebUtility.HtmlEncode(title), await visitor.Http.GetStringAsync(path));
    }

    [Fact]
    public async Task Signed_in_pages_are_never_served_from_the_cache()
    {
        using var anonymous = new StorefrontClient(fixture, withCsrfHeader: false);
        using var ava = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Ava);
        foreach (var path in new[] { "/", "/catalog", "/products/3" })
        {
            Assert.True(await ServedFromCacheWithinAsync(anonymous, path), $"{path} never came from the cache for a visitor");
            for (var i = 0; i < 3; i++)
            {
                var response = await ava.Http.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Null(response.Headers.Age);
                Assert.Contains("data-testid=\"account-menu\"", await response.Content.ReadAsStringAsync());
            }
        }
    }

    [Fact]
    public async Task A_cached_page_carries_no_visitors_cookies_or_token_and_its_cart_form_still_works()
    {
        const string path = "/products/5";
        using var first = new StorefrontClient(fixture, withCsrfHeader: false);
        Assert.True(await ServedFromCacheWithinAsync(first, path), "the product page never came from the cache");

        // A new visitor gets the cached page with a session cookie of its own and nothing else of anyone's.
        using var second = new StorefrontClient(fixture, withCsrfHeader: false);
        var response = await second.Http.GetAsync(path);
        Assert.NotNull(response.Headers.Age);
        var html = await response.Content.ReadAsStringAsync();
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        Assert.DoesNotContain(cookies, c => c.StartsWith("EcomGo.Antiforgery", StringComparison.Ordinal));
        var firstSession = first.Cookies.GetCookies(first.Http.BaseAddress!)["ecomgo_session"]!.Value;
        Assert.DoesNotContain(cookies, c => c.Contains(firstSession, StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith("ecomgo_session=", StringComparison.Ordinal));
        Assert.DoesNotMatch(FilledToken(), html);
        Assert.Matches(EmptyToken(), html);

        // The add-to-cart form works with the token the page's script fetches for this browser.
        var token = await second.Http.GetFromJsonAsync<TokenDto>("/antiforgery/token");
        using var post = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "add-to-cart",
                ["__RequestVerificationToken"] = token!.Token,
                ["AddInput.Quantity"] = "2",
            }),
        };
        var added = await second.Http.SendAsync(post);
        Assert.True(added.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"add to cart: {(int)added.StatusCode} {await added.Content.ReadAsStringAsync()}");
        Assert.Contains("added=2", added.Headers.Location!.ToString());

        // From now on this browser has a cart: its pages are its own, with its count, never from the cache.
        for (var i = 0; i < 2; i++)
        {
            var mine = await second.Http.GetAsync(path);
            Assert.Null(mine.Headers.Age);
            Assert.Contains("data-testid=\"cart-count\">2<", await mine.Content.ReadAsStringAsync());
        }

        // And the page everyone else gets still says 0.
        var others = await first.Http.GetAsync(path);
        Assert.Contains("data-testid=\"cart-count\">0<", await others.Content.ReadAsStringAsync());
    }

    /// <summary>A visitor's first view sets cookies (never stored); the next ones store and then hit the cache.</summary>
    private static async Task<bool> ServedFromCacheWithinAsync(StorefrontClient visitor, string path)
    {
        for (var i = 0; i < 6; i++)
        {
            var response = await visitor.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Headers.Age is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static string Price(decimal amount) => amount.ToString("C", CultureInfo.GetCultureInfo("en-US"));

    private sealed record TokenDto(string Token, string FormFieldName);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"[^\"]+\"")]
    private static partial Regex FilledToken();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"\"")]
    private static partial Regex EmptyToken();
}
