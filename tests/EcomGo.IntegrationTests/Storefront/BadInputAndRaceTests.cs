using System.Net;
using System.Net.Http.Json;
using EcomGo.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>Hostile or unlucky input: it must get a clear 400/404, never a 500.</summary>
[Collection(AppCollection.Name)]
public sealed class BadInputAndRaceTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_NUL_character_in_any_text_is_a_400_not_a_database_error()
    {
        // PostgreSQL rejects U+0000 in text: unchecked, it becomes a 500 ("invalid byte sequence for encoding UTF8: 0x00").
        using var visitor = new StorefrontClient(fixture);
        var search = await visitor.Http.GetAsync("/api/catalog/products?text=tent%00");
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.Contains("text", (await search.Content.ReadFromJsonAsync<ValidationProblem>(StorefrontClient.Json))!.Errors.Keys);

        var makers = await visitor.Http.GetAsync("/api/catalog/manufacturers?search=str%00");
        Assert.Equal(HttpStatusCode.BadRequest, makers.StatusCode);

        var login = await visitor.Http.PostAsJsonAsync("/api/account/login", new { email = "ava\0@demo.ecomgo.local", password = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);

        using var sofia = await StorefrontClient.SignedInAsync(fixture, "sofia.alvarez@demo.ecomgo.local");
        var mine = (await sofia.GetAsync<List<ReviewView>>("/api/reviews/mine")).Select(r => r.ProductId).ToHashSet();
        var productId = (await sofia.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?pageSize=100&sort=price-desc"))
            .Items.Select(p => p.Id).First(id => !mine.Contains(id));
        var review = await sofia.Http.PostAsJsonAsync($"/api/products/{productId}/reviews",
            new { rating = 4, title = "Nice\0one", text = "Really nice, would buy\0 again." });
        Assert.Equal(HttpStatusCode.BadRequest, review.StatusCode);
        var reviewProblem = (await review.Content.ReadFromJsonAsync<ValidationProblem>(StorefrontClient.Json))!;
        output.WriteLine(string.Join("\n", reviewProblem.Errors.Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}")));
        Assert.Equal(["text", "title"], reviewProblem.Errors.Keys.Order());

        var checkout = await sofia.Http.PostAsJsonAsync("/api/orders", new { shippingName = "Sofia\0", shippingAddress = "3 Book Row, Seville" });
        Assert.Equal(HttpStatusCode.BadRequest, checkout.StatusCode);
        Assert.Contains("shippingName", (await checkout.Content.ReadFromJsonAsync<ValidationProblem>(StorefrontClient.Json))!.Errors.Keys);
    }

    [Fact]
    public async Task Two_reviews_of_one_product_posted_at_once_one_is_201_the_other_409()
    {
        using var shopper = await Recommender.RecommenderKit.RegisterAsync(fixture);
        var outcomes = new List<string>();
        for (var productId = 1; productId <= 5; productId++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => shopper.Http.PostAsJsonAsync($"/api/products/{productId}/reviews",
                new { rating = 3 + i, title = $"Take {i}", text = $"Posted twice at the same moment ({i})." })));
            var codes = responses.Select(r => (int)r.StatusCode).Order().ToArray();
            outcomes.Add($"product {productId}: {string.Join("+", codes)}");
            Assert.Equal([201, 409], codes);
            var conflict = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
            Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
            Assert.Contains("already reviewed", await conflict.Content.ReadAsStringAsync());
        }

        output.WriteLine(string.Join("; ", outcomes));
        var mine = await shopper.GetAsync<List<ReviewView>>("/api/reviews/mine");
        Assert.Equal([1, 2, 3, 4, 5], mine.Select(r => r.ProductId).Order());

        // The database enforces it (the unique index), and the product page's form explains it.
        await using var db = await Db.OpenAsync(fixture);
        Assert.Equal(1, await db.ScalarAsync("""
            SELECT count(*) FROM pg_indexes WHERE schemaname = 'storefront' AND indexname = 'IX_Reviews_ProductId_UserId' AND indexdef LIKE 'CREATE UNIQUE%'
            """));
        var page = await shopper.PostFormAsync("/products/1", "review", new Dictionary<string, string>
        {
            ["ReviewForm.Rating"] = "5",
            ["ReviewForm.Title"] = "Once more",
            ["ReviewForm.Text"] = "Trying to review this product again.",
        });
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("You have already reviewed this product.", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Viewing_an_unknown_product_is_a_404_like_the_cart()
    {
        using var visitor = new StorefrontClient(fixture);
        var response = await visitor.Http.PostAsJsonAsync("/api/interactions", new { productId = 999999, kind = "view" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("999999", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Parallel_adds_of_the_same_product_never_fail_with_a_500()
    {
        using var visitor = new StorefrontClient(fixture);
        // The first request sets the session cookie: make it before racing so every add shares one cart.
        Assert.Empty((await visitor.GetAsync<CartView>("/api/cart")).Lines);
        var product = (await visitor.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?pageSize=50")).Items.First(p => p.Stock >= 10);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => visitor.Http.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1 })));
        foreach (var r in responses)
        {
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }

        var line = Assert.Single((await visitor.GetAsync<CartView>("/api/cart")).Lines);
        Assert.Equal(6, line.Quantity);
    }

    [Fact]
    public async Task Two_checkouts_racing_for_the_last_unit_one_wins_and_the_other_hears_it_is_out_of_stock()
    {
        await using var db = await Db.OpenAsync(fixture);
        using var ava = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Ava);
        using var marco = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Marco);
        var product = (await ava.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?sort=name&pageSize=50")).Items.Last(p => p.Stock >= 2);
        var stockBefore = await db.ScalarAsync("""SELECT "Stock" FROM storefront."Products" WHERE "Id" = $1""", product.Id);
        await db.ScalarAsync("""WITH u AS (UPDATE storefront."Products" SET "Stock" = 1 WHERE "Id" = $1 RETURNING 1) SELECT count(*) FROM u""", product.Id);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await ava.Http.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1 })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await marco.Http.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1 })).StatusCode);

            var results = await Task.WhenAll(
                ava.Http.PostAsJsonAsync("/api/orders", new { shippingName = "Ava Chen", shippingAddress = "1 Trail Road, Boulder" }),
                marco.Http.PostAsJsonAsync("/api/orders", new { shippingName = "Marco Rossi", shippingAddress = "5 Via Roma, Milano" }));
            var bodies = await Task.WhenAll(results.Select(r => r.Content.ReadAsStringAsync()));
            output.WriteLine(string.Join("\n", results.Select((r, i) => $"{(int)r.StatusCode} {bodies[i]}")));

            Assert.Single(results, r => r.StatusCode == HttpStatusCode.Created);
            var loser = Array.FindIndex(results, r => r.StatusCode != HttpStatusCode.Created);
            Assert.Equal(HttpStatusCode.BadRequest, results[loser].StatusCode);
            Assert.Contains("out of stock", bodies[loser]);
            Assert.Equal(0, await db.ScalarAsync("""SELECT "Stock" FROM storefront."Products" WHERE "Id" = $1""", product.Id));
            // The loser keeps the cart line (nothing was taken); clean it up.
            await (loser == 0 ? ava : marco).Http.DeleteAsync($"/api/cart/items/{product.Id}");
        }
        finally
        {
            await db.ScalarAsync("""WITH u AS (UPDATE storefront."Products" SET "Stock" = $2 WHERE "Id" = $1 RETURNING 1) SELECT count(*) FROM u""",
                product.Id, (int)stockBefore);
        }
    }
}
