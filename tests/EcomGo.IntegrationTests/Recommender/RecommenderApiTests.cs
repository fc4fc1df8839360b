using System.Net;
using System.Net.Http.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Storefront;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Recommender;

/// <summary>The Recommender's own API, called as the Storefront and the ChatAgent call it (real pgvector, real MiniLM embeddings).</summary>
[Collection(AppCollection.Name)]
public sealed class RecommenderApiTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Similar_products_of_a_product_are_of_its_kind()
    {
        var status = await RecommenderKit.WaitForIndexAsync(fixture);
        var catalog = await RecommenderKit.CatalogAsync(fixture);
        Assert.Equal(catalog.Count, status.IndexedProducts);
        using var client = await RecommenderKit.RecommenderClientAsync(fixture);

        // One product from each of a few different categories.
        foreach (var product in catalog.Values.GroupBy(p => p.CategoryId).OrderBy(g => g.Key).Where((_, i) => i % 4 == 0).Select(g => g.OrderBy(p => p.Id).First()))
        {
            var list = await client.GetFromJsonAsync<RecommendationListDto>($"/api/recommendations/similar/{product.Id}?count=6", StorefrontClient.Json);
            Assert.NotNull(list);
            output.WriteLine($"{product.CategoryName} / {product.Name}: {string.Join(", ", list.Items.Select(i => catalog[i.ProductId].Name))}");
            Assert.Equal(6, list.Items.Count);
            Assert.DoesNotContain(list.Items, i => i.ProductId == product.Id);
            Assert.True(list.Items.Count(i => catalog[i.ProductId].CategoryId == product.CategoryId) >= 5,
                $"similar products of {product.Name} are mostly not {product.CategoryName}");
            Assert.All(list.Items, i => Assert.Equal($"similar to {product.Name}", i.Reason));
            Assert.Equal(list.Items.OrderByDescending(i => i.Score).Select(i => i.ProductId), list.Items.Select(i => i.ProductId));
        }

        // The product page shows them, marked as the Recommender's.
        var sample = catalog.Values.OrderBy(p => p.Id).First();
        using var visitor = new StorefrontClient(fixture);
        var shelf = RecommenderKit.ReadShelf(await visitor.Http.GetStringAsync($"/products/{sample.Id}"), "similar-products");
        Assert.NotNull(shelf);
        Assert.Equal("recommender", shelf.Source);
        Assert.True(shelf.Cards.Count(c => catalog[c.ProductId].CategoryId == sample.CategoryId) >= 5);
    }

    [Fact]
    public async Task Cold_start_from_three_picked_products_recommends_their_kind_at_once()
    {
        await RecommenderKit.WaitForIndexAsync(fixture);
        var catalog = await RecommenderKit.CatalogAsync(fixture);
        var picks = catalog.Values.Where(p => p.CategoryName.Contains("Cycling", StringComparison.Ordinal)).OrderBy(p => p.Id).Take(3).ToList();
        Assert.Equal(3, picks.Count);
        using var client = await RecommenderKit.RecommenderClientAsync(fixture);

        var response = await client.PostAsJsonAsync("/api/recommendations/cold-start", new { productIds = picks.Select(p => p.Id), count = 10 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = (await response.Content.ReadFromJsonAsync<RecommendationListDto>(StorefrontClient.Json))!;
        foreach (var item in list.Items)
        {
            output.WriteLine($"{catalog[item.ProductId].CategoryName} / {catalog[item.ProductId].Name} {item.Score:0.000}: {item.Reason}");
        }

        Assert.Equal("cold-start", list.Method);
        Assert.Equal(10, list.Items.Count);
        Assert.DoesNotContain(list.Items, i => picks.Any(p => p.Id == i.ProductId));
        Assert.True(list.Items.Count(i => catalog[i.ProductId].CategoryId == picks[0].CategoryId) >= 7);
        Assert.All(list.Items, i => Assert.Contains(i.Reason, picks.Select(p => $"because you picked {p.Name}")));

        // The Storefront's "pick a few things you like" page shows the same kind of list, from the Recommender.
        using var visitor = new StorefrontClient(fixture);
        var page = await visitor.Http.GetStringAsync("/for-you/start?" + string.Join("&", picks.Select(p => $"pick={p.Id}")));
        var shelf = RecommenderKit.ReadShelf(page, "cold-start-recommendations");
        Assert.NotNull(shelf);
        Assert.Equal("recommender", shelf.Source);
        Assert.True(shelf.Cards.Count(c => catalog[c.ProductId].CategoryId == picks[0].CategoryId) >= 8);
    }

    [Fact]
    public async Task Cold_start_from_a_sentence_and_semantic_search_find_products_by_meaning()
    {
        await RecommenderKit.WaitForIndexAsync(fixture);
        var catalog = await RecommenderKit.CatalogAsync(fixture);
        using var client = await RecommenderKit.RecommenderClientAsync(fixture);

        var search = await client.GetFromJsonAsync<RecommendationListDto>(
            "/api/recommendations/search?q=" + Uri.EscapeDataString("something to brew espresso at home") + "&count=5", StorefrontClient.Json);
        Assert.NotNull(search);
        output.WriteLine("search: " + string.Join(", ", search.Items.Select(i => $"{catalog[i.ProductId].CategoryName} / {catalog[i.ProductId].Name}")));
        Assert.True(search.Items.Count(i => catalog[i.ProductId].CategoryName.Contains("Coffee", StringComparison.Ordinal)) >= 4);

        // The Storefront's catalog search adds these when full-text search finds little.
        using var visitor = new StorefrontClient(fixture);
        var page = await visitor.Http.GetStringAsync("/catalog?q=" + Uri.EscapeDataString("something to brew espresso at home"));
        var related = RecommenderKit.ReadShelf(page, "semantic-results");
        Assert.NotNull(related);
        Assert.Equal("recommender", related.Source);
        Assert.True(related.Cards.Count(c => catalog[c.ProductId].CategoryName.Contains("Coffee", StringComparison.Ordinal)) >= 5);

        var response = await client.PostAsJsonAsync("/api/recommendations/cold-start", new { text = "I love hiking and sleeping in a tent under the stars", count = 8 });
        var list = (await response.Content.ReadFromJsonAsync<RecommendationListDto>(StorefrontClient.Json))!;
        output.WriteLine("cold start: " + string.Join(", ", list.Items.Select(i => $"{catalog[i.ProductId].CategoryName} / {catalog[i.ProductId].Name}")));
        Assert.True(list.Items.Count(i => catalog[i.ProductId].CategoryName.Contains("Camping", StringComparison.Ordinal)) >= 5);
        Assert.All(list.Items, i => Assert.StartsWith("matches", i.Reason));
    }

    [Fact]
    public async Task Popular_lists_are_in_stock_and_explained_and_bad_input_gets_a_clear_400()
    {
        await RecommenderKit.WaitForIndexAsync(fixture);
        var catalog = await RecommenderKit.CatalogAsync(fixture);
        using var client = await RecommenderKit.RecommenderClientAsync(fixture);

        var popular = await client.GetFromJsonAsync<RecommendationListDto>("/api/recommendations/popular?count=12", StorefrontClient.Json);
        Assert.NotNull(popular);
        Assert.Equal(12, popular.Items.Count);
        Assert.All(popular.Items, i => Assert.True(catalog[i.ProductId].Stock > 0));
        Assert.All(popular.Items, i => Assert.StartsWith($"popular in {catalog[i.ProductId].CategoryName}", i.Reason));

        var category = catalog.Values.First().CategoryId;
        var inCategory = await client.GetFromJsonAsync<RecommendationListDto>($"/api/recommendations/popular?count=5&category={category}", StorefrontClient.Json);
        Assert.All(inCategory!.Items, i => Assert.Equal(category, catalog[i.ProductId].CategoryId));

        // An unknown shopper gets the popular list, not an error.
        var newcomer = $"session:{Guid.NewGuid():N}";
        using (var forNewcomer = await RecommenderKit.RecommenderClientAsync(fixture, newcomer))
        {
            var unknown = await forNewcomer.GetFromJsonAsync<RecommendationListDto>($"/api/recommendations/shoppers/{newcomer}?count=5", StorefrontClient.Json);
            Assert.Equal("popular", unknown!.Method);
        }

        foreach (var (method, path, body) in new (string, string, object?)[]
                 {
                     ("GET", "/api/recommendations/shoppers/nobody?count=5", null),

                     ("GET", "/api/recommendations/popular?category=x", null),
                     ("GET", "/api/recommendations/similar/abc", null),
                     ("GET", "/api/recommendations/search?q=", null),
                     ("POST", "/api/recommendations/cold-start", new { }),
                     ("POST", "/api/recommendations/cold-start", new { productIds = new[] { 999999 } }),
                     ("POST", "/api/recommendations/cold-start", new { text = new string('a', 501) }),
                 })
        {
            var response = method == "GET" ? await client.GetAsync(path) : await client.PostAsJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode} {text}");
            Assert.Contains("\"detail\"", text);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/recommendations/similar/999999")).StatusCode);
        using (var forShopper = await RecommenderKit.RecommenderClientAsync(fixture, "user:1"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await forShopper.GetAsync("/api/recommendations/shoppers/user:1?count=abc")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await forShopper.GetAsync("/api/recommendations/shoppers/user:1?count=500")).StatusCode);
        }
    }

    [Fact]
    public async Task Only_services_get_in_and_a_call_gets_only_the_list_of_the_shopper_it_acts_for()
    {
        await RecommenderKit.WaitForIndexAsync(fixture);
        using var anonymous = fixture.CreateHttpClient("recommender");
        foreach (var path in new[] { "/api/recommendations/popular", "/api/recommendations/similar/1", "/api/recommendations/search?q=tent",
                     "/api/recommendations/shoppers/user:1", "/api/recommendations/index-status" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync("/api/recommendations/cold-start", new { productIds = new[] { 1, 2 } })).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/recommendations/popular")).StatusCode);

        // A call acting for Ava cannot read Marco's list, nor can a call acting for nobody.
        using var asAva = await RecommenderKit.RecommenderClientAsync(fixture, "user:ava");
        Assert.Equal(HttpStatusCode.Forbidden, (await asAva.GetAsync("/api/recommendations/shoppers/user:marco")).StatusCode);
        using var asNobody = await RecommenderKit.RecommenderClientAsync(fixture);
        Assert.Equal(HttpStatusCode.Forbidden, (await asNobody.GetAsync("/api/recommendations/shoppers/user:marco")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asAva.GetAsync("/api/recommendations/shoppers/user:ava")).StatusCode);

        // The catalog feed the index reads is a service-only API of the Storefront.
        using var shopper = new StorefrontClient(fixture);
        Assert.Equal(HttpStatusCode.Unauthorized, (await shopper.Http.GetAsync("/api/catalog/feed")).StatusCode);
    }
}
