using System.Net;
using System.Net.Http.Json;
using EcomGo.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

[Collection(AppCollection.Name)]
public sealed class ShoppingApiTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Invalid_review_input_gets_a_400_naming_each_field()
    {
        using var ava = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Ava);
        var productId = await UnreviewedProductAsync(ava);

        var response = await ava.Http.PostAsJsonAsync($"/api/products/{productId}/reviews", new { rating = 0, title = "  ", text = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblem>(StorefrontClient.Json))!;
        output.WriteLine(string.Join("\n", problem.Errors.Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}")));
        Assert.Equal(["rating", "text", "title"], problem.Errors.Keys.Order());
        Assert.Contains("1 to 5", problem.Errors["rating"][0]);

        var tooLong = await ava.Http.PostAsJsonAsync($"/api/products/{productId}/reviews",
            new { rating = 4, title = "Fine", text = new string('a', 2001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("text", (await tooLong.Content.ReadFromJsonAsync<ValidationProblem>(StorefrontClient.Json))!.Errors.Keys);

        var noProduct = await ava.Http.PostAsJsonAsync("/api/products/999999/reviews", new { rating = 4, title = "Fine", text = "Perfectly fine product." });
        Assert.Equal(HttpStatusCode.NotFound, noProduct.StatusCode);
    }

    [Fact]
    public async Task Anonymous_review_gets_401_and_missing_csrf_header_gets_403()
    {
        using var anonymous = new StorefrontClient(fixture);
        var response = await anonymous.Http.PostAsJsonAsync("/api/products/1/reviews", new { rating = 5, title = "Great", text = "Really great product." });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync("/api/orders")).StatusCode);

        using var noHeader = new StorefrontClient(fixture, withCsrfHeader: false);
        var cart = await noHeader.Http.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, cart.StatusCode);
        Assert.Contains("X-Requested-With", await cart.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Orders_and_reviews_belong_to_their_author_only()
    {
        using var ava = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Ava);
        using var marco = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Marco);
        await using var db = await Db.OpenAsync(fixture);

        // Ava buys two of something in stock.
        var product = (await ava.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?sort=price-asc&pageSize=50"))
            .Items.First(p => p.Stock >= 5);
        var stockBefore = await db.ScalarAsync("""SELECT "Stock" FROM storefront."Products" WHERE "Id" = $1""", product.Id);
        var added = await ava.Http.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 2 });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var checkout = await ava.Http.PostAsJsonAsync("/api/orders", new { shippingName = "Ava Chen", shippingAddress = "1 Trail Road, Boulder" });
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        var order = (await checkout.Content.ReadFromJsonAsync<OrderView>(StorefrontClient.Json))!;
        Assert.Equal(product.Price.Price, Assert.Single(order.Lines).UnitPrice);
        Assert.Equal(product.Price.Price * 2, order.Total);
        Assert.Equal(stockBefore - 2, await db.ScalarAsync("""SELECT "Stock" FROM storefront."Products" WHERE "Id" = $1""", product.Id));
        Assert.Empty((await ava.GetAsync<CartView>("/api/cart")).Lines);

        Assert.Equal(order.Id, (await ava.GetAsync<OrderView>($"/api/orders/{order.Id}")).Id);
        Assert.Equal(HttpStatusCode.NotFound, (await marco.Http.GetAsync($"/api/orders/{order.Id}")).StatusCode);
        Assert.DoesNotContain(await marco.GetAsync<List<OrderView>>("/api/orders"), o => o.Id == order.Id);
        Assert.Contains(await ava.GetAsync<List<OrderView>>("/api/orders"), o => o.Id == order.Id);

        // Ava's review: Marco cannot delete it; she can.
        var productId = await UnreviewedProductAsync(ava);
        var created = await ava.Http.PostAsJsonAsync($"/api/products/{productId}/reviews",
            new { rating = 4, title = "  Solid buy ", text = "Does what it says, well made and arrived quickly." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var review = (await created.Content.ReadFromJsonAsync<ReviewView>(StorefrontClient.Json))!;
        Assert.Equal("Solid buy", review.Title);
        Assert.Equal("Ava Chen", review.AuthorName);

        var again = await ava.Http.PostAsJsonAsync($"/api/products/{productId}/reviews", new { rating = 2, title = "Again", text = "A second opinion from me." });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already reviewed", await again.Content.ReadAsStringAsync());

        var grouped = await ava.GetAsync<ProductReviews>($"/api/products/{productId}/reviews");
        Assert.Equal(["positive", "neutral", "negative", "pending"], grouped.Groups.Select(g => g.Sentiment));
        Assert.Equal(grouped.TotalCount, grouped.Groups.Sum(g => g.Reviews.Count));
        Assert.True(grouped.Groups.SelectMany(g => g.Reviews).Single(r => r.Id == review.Id).IsOwn);

        Assert.Equal(HttpStatusCode.NotFound, (await marco.Http.DeleteAsync($"/api/reviews/{review.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ava.Http.DeleteAsync($"/api/reviews/{review.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ava.Http.DeleteAsync($"/api/reviews/{review.Id}")).StatusCode);
    }

    [Fact]
    public async Task Cart_rules_and_empty_checkout_give_clear_400s()
    {
        using var kenji = await StorefrontClient.SignedInAsync(fixture, "kenji.watanabe@demo.ecomgo.local");
        var product = (await kenji.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?pageSize=50")).Items.First(p => p.Stock is > 0 and < 99);

        var zero = await kenji.Http.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("between 1 and 99", await zero.Content.ReadAsStringAsync());

        var tooMany = await kenji.Http.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = product.Stock + 1 });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains($"Only {product.Stock}", await tooMany.Content.ReadAsStringAsync());

        var unknown = await kenji.Http.PostAsJsonAsync("/api/cart/items", new { productId = 999999, quantity = 1 });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var empty = await kenji.Http.PostAsJsonAsync("/api/orders", new { shippingName = "Kenji Watanabe", shippingAddress = "2 Pixel Lane, Osaka" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("cart is empty", await empty.Content.ReadAsStringAsync());

        // An anonymous shopper's cart follows the session cookie and moves to the account on sign-in.
        using var visitor = new StorefrontClient(fixture);
        var cart = await visitor.Http.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1 });
        Assert.Equal(HttpStatusCode.OK, cart.StatusCode);
        Assert.Single((await visitor.GetAsync<CartView>("/api/cart")).Lines);
        var login = await visitor.Http.PostAsJsonAsync("/api/account/login", new { email = "priya.nair@demo.ecomgo.local", password = StorefrontClient.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains((await visitor.GetAsync<CartView>("/api/cart")).Lines, l => l.ProductId == product.Id);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.DeleteAsync($"/api/cart/items/{product.Id}")).StatusCode);

        var badLogin = await visitor.Http.PostAsJsonAsync("/api/account/login", new { email = StorefrontClient.Ava, password = "wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, badLogin.StatusCode);
    }

    private static async Task<int> UnreviewedProductAsync(StorefrontClient client)
    {
        var mine = (await client.GetAsync<List<ReviewView>>("/api/reviews/mine")).Select(r => r.ProductId).ToHashSet();
        var products = await client.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?sort=newest&pageSize=100");
        return products.Items.Select(p => p.Id).First(id => !mine.Contains(id));
    }
}
