using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using EcomGo.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

[Collection(AppCollection.Name)]
public sealed class CatalogApiTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Seeded_shop_has_the_documented_size_and_nothing_seeded_went_to_the_outbox()
    {
        await using var db = await Db.OpenAsync(fixture);
        var products = await db.ScalarAsync("""SELECT count(*) FROM storefront."Products" """);
        var manufacturers = await db.ScalarAsync("""SELECT count(*) FROM storefront."Manufacturers" """);
        var reviews = await db.ScalarAsync("""SELECT count(*) FROM storefront."Reviews" """);
        var shoppers = await db.ScalarAsync("""SELECT count(*) FROM storefront."AspNetUsers" WHERE "EmailConfirmed" """);
        var interactions = await db.ScalarAsync("""SELECT count(*) FROM storefront."Interactions" """);
        var orders = await db.ScalarAsync("""SELECT count(*) FROM storefront."Orders" """);
        var activePromotions = await db.ScalarAsync("""SELECT count(*) FROM storefront."Promotions" WHERE "StartsAt" <= now() AND "EndsAt" > now()""");
        var outbox = await db.ScalarAsync("""SELECT count(*) FROM storefront."Outbox" """);
        output.WriteLine($"products={products} manufacturers={manufacturers} reviews={reviews} shoppers={shoppers} " +
                         $"interactions={interactions} orders={orders} activePromotions={activePromotions} outbox={outbox}");

        Assert.True(products >= 400, $"{products} products");
        Assert.True(manufacturers >= 40, $"{manufacturers} manufacturers");
        Assert.True(reviews >= 2000, $"{reviews} reviews");
        Assert.True(shoppers >= 50, $"{shoppers} shoppers");
        Assert.True(orders > 0 && activePromotions > 0);
        // Thousands of seeded interactions and reviews, but only the tests' own writes reach the outbox.
        Assert.True(interactions > 2000 && outbox < 200, $"{interactions} interactions, {outbox} outbox rows");

        // Sequences were moved past the explicit seed ids: a new row must not collide (checked by the review tests' inserts).
        var nextReviewId = await db.ScalarAsync("""SELECT last_value FROM pg_sequences WHERE schemaname = 'storefront' AND sequencename = 'Reviews_Id_seq'""");
        Assert.True(nextReviewId >= reviews, $"Reviews sequence at {nextReviewId}");

        using var client = new StorefrontClient(fixture);
        var categories = await client.GetAsync<List<CategoryInfo>>("/api/catalog/categories");
        Assert.Equal(products, categories.Sum(c => c.ProductCount));
    }

    [Fact]
    public async Task Category_filter_and_paging_totals_match_the_database()
    {
        await using var db = await Db.OpenAsync(fixture);
        var categoryId = (int)await db.ScalarAsync("""SELECT "CategoryId" FROM storefront."Products" GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""");
        var expected = await db.ScalarAsync("""SELECT count(*) FROM storefront."Products" WHERE "CategoryId" = $1""", categoryId);

        using var client = new StorefrontClient(fixture);
        var seen = new HashSet<int>();
        var first = await client.GetAsync<PagedResult<ProductSummary>>($"/api/catalog/products?categoryId={categoryId}&pageSize=7&sort=name");
        Assert.Equal(expected, first.TotalCount);
        Assert.Equal((int)Math.Ceiling(expected / 7.0), first.PageCount);
        for (var page = 1; page <= first.PageCount; page++)
        {
            var result = await client.GetAsync<PagedResult<ProductSummary>>($"/api/catalog/products?categoryId={categoryId}&pageSize=7&sort=name&page={page}");
            Assert.All(result.Items, p => Assert.Equal(categoryId, p.CategoryId));
            Assert.Equal(page < first.PageCount ? 7 : expected - 7 * (first.PageCount - 1), result.Items.Count);
            Assert.All(result.Items, p => Assert.True(seen.Add(p.Id), $"product {p.Id} on two pages"));
        }

        Assert.Equal(expected, seen.Count);
        var beyond = await client.GetAsync<PagedResult<ProductSummary>>($"/api/catalog/products?categoryId={categoryId}&pageSize=7&page={first.PageCount + 1}");
        Assert.Empty(beyond.Items);
    }

    [Fact]
    public async Task Manufacturer_filter_and_manufacturer_page_list_exactly_its_products()
    {
        await using var db = await Db.OpenAsync(fixture);
        var (id, name) = (await db.QueryAsync("""SELECT "Id", "Name" FROM storefront."Manufacturers" WHERE "Name" = 'Stridewell'""",
            r => (r.GetInt32(0), r.GetString(1)))).Single();
        var expected = await db.ScalarAsync("""SELECT count(*) FROM storefront."Products" WHERE "ManufacturerId" = $1""", id);

        using var client = new StorefrontClient(fixture);
        var result = await client.GetAsync<PagedResult<ProductSummary>>($"/api/catalog/products?manufacturerId={id}&pageSize=100");
        Assert.Equal(expected, result.TotalCount);
        Assert.All(result.Items, p => Assert.Equal(name, p.ManufacturerName));

        var details = await client.GetAsync<ManufacturerDetails>($"/api/catalog/manufacturers/{id}");
        Assert.Equal(expected, details.Products.Count);
        Assert.Equal(expected, details.Manufacturer.ProductCount);
        var found = await client.GetAsync<List<ManufacturerInfo>>("/api/catalog/manufacturers?search=stride");
        Assert.Contains(found, m => m.Id == id);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync("/api/catalog/manufacturers/999999")).StatusCode);
    }

    [Fact]
    public async Task Every_price_is_the_best_single_discount_and_filters_use_it()
    {
        var expected = await ExpectedPricesAsync();
        using var client = new StorefrontClient(fixture);

        var actual = new Dictionary<int, ProductSummary>();
        foreach (var chunk in expected.Keys.Order().Chunk(100))
        {
            foreach (var p in await client.GetAsync<List<ProductSummary>>($"/api/catalog/products/by-ids?ids={string.Join(',', chunk)}"))
            {
                actual[p.Id] = p;
            }
        }

        Assert.Equal(expected.Count, actual.Count);
        foreach (var (id, e) in expected)
        {
            var price = actual[id].Price;
            Assert.True(e.Price == price.Price, $"product {id}: expected {e.Price} ({e.Winner}), API says {price.Price} ({price.DiscountLabel})");
            Assert.Equal(e.ListPrice, price.ListPrice);
            Assert.Equal(e.ListPrice - e.Price, price.Saving);
            if (e.Winner.StartsWith("promo:", StringComparison.Ordinal))
            {
                Assert.StartsWith(e.Winner["promo:".Length..], price.DiscountLabel);
                Assert.NotNull(price.DiscountEndsAt);
            }
        }

        // The seed covers each rule: a fixed amount winning, a percentage promotion winning, and a product's own markdown
        // beating a promotion that also applies (discounts never stack).
        Assert.Contains(expected.Values, e => e.Winner.StartsWith("promo:", StringComparison.Ordinal) && e.WinnerKind == "FixedAmount");
        Assert.Contains(expected.Values, e => e.Winner.StartsWith("promo:", StringComparison.Ordinal) && e.WinnerKind == "Percentage");
        Assert.Contains(expected.Values, e => e.Winner == "own" && e.PromotionsApplying > 0);
        Assert.Contains(expected.Values, e => e.PromotionsApplying > 1);

        // Filters work on the effective price.
        var (min, max) = (20m, 80m);
        var inRange = expected.Values.Count(e => e.Price >= min && e.Price <= max);
        var ranged = await client.GetAsync<PagedResult<ProductSummary>>($"/api/catalog/products?minPrice={min}&maxPrice={max}&pageSize=100&sort=price-asc");
        Assert.Equal(inRange, ranged.TotalCount);
        Assert.All(ranged.Items, p => Assert.InRange(p.Price.Price, min, max));
        Assert.Equal(ranged.Items.Select(p => p.Price.Price).Order(), ranged.Items.Select(p => p.Price.Price));

        var onPromotion = await client.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?onPromotion=true&pageSize=100");
        Assert.Equal(expected.Values.Count(e => e.Price < e.ListPrice), onPromotion.TotalCount);
        Assert.All(onPromotion.Items, p => Assert.True(p.Price.IsDiscounted));
        output.WriteLine($"{onPromotion.TotalCount} of {expected.Count} products discounted; {inRange} between {min} and {max}");
    }

    [Fact]
    public async Task A_fixed_discount_never_takes_a_price_below_zero()
    {
        await using var db = await Db.OpenAsync(fixture);
        var (productId, listPrice) = (await db.QueryAsync("""SELECT "Id", "Price" FROM storefront."Products" ORDER BY "Price", "Id" LIMIT 1""",
            r => (r.GetInt32(0), r.GetDecimal(1)))).Single();
        var promotionId = await db.ScalarAsync(
            """
            INSERT INTO storefront."Promotions" ("Name", "Description", "Kind", "Amount", "Target", "TargetId", "StartsAt", "EndsAt")
            VALUES ('Test Giveaway', 'test', 'FixedAmount', $1, 'Product', $2, now() - interval '1 hour', now() + interval '1 hour')
            RETURNING "Id"
            """, listPrice + 1000m, productId);
        try
        {
            using var client = new StorefrontClient(fixture);
            var product = await client.GetAsync<ProductDetails>($"/api/catalog/products/{productId}");
            Assert.Equal(0m, product.Summary.Price.Price);
            Assert.Equal(listPrice, product.Summary.Price.Saving);
            Assert.StartsWith("Test Giveaway", product.Summary.Price.DiscountLabel);
        }
        finally
        {
            await db.ScalarAsync("""WITH d AS (DELETE FROM storefront."Promotions" WHERE "Id" = $1 RETURNING 1) SELECT count(*) FROM d""", promotionId);
        }
    }

    [Fact]
    public async Task Searching_a_manufacturer_name_returns_its_products_first()
    {
        using var client = new StorefrontClient(fixture);
        var stopwatch = Stopwatch.StartNew();
        var result = await client.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?text=Stridewell&pageSize=50");
        output.WriteLine($"search took {stopwatch.ElapsedMilliseconds} ms, {result.TotalCount} hits");
        var stridewell = await client.GetAsync<List<ManufacturerInfo>>("/api/catalog/manufacturers?search=Stridewell");
        var own = stridewell.Single().ProductCount;
        Assert.True(own > 0);
        Assert.All(result.Items.Take(own), p => Assert.Equal("Stridewell", p.ManufacturerName));

        var twoWords = await client.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?text=" + Uri.EscapeDataString("Ember & Crema") + "&pageSize=5");
        Assert.NotEmpty(twoWords.Items);
        Assert.All(twoWords.Items, p => Assert.Equal("Ember & Crema", p.ManufacturerName));
    }

    [Fact]
    public async Task Searching_a_product_type_or_a_partial_word_finds_matching_products()
    {
        using var client = new StorefrontClient(fixture);
        var tents = await client.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?text=tent&pageSize=10");
        Assert.True(tents.TotalCount >= 2, $"{tents.TotalCount} tents");
        Assert.All(tents.Items.Take(Math.Min(tents.TotalCount, 3)), p => Assert.Contains("tent", p.Name, StringComparison.OrdinalIgnoreCase));

        var partial = await client.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?text=headph&pageSize=10");
        Assert.NotEmpty(partial.Items);
        Assert.Contains(partial.Items, p => p.Name.Contains("Headphones", StringComparison.OrdinalIgnoreCase));

        var nothing = await client.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?text=zzzqqqxxy");
        Assert.Equal(0, nothing.TotalCount);
    }

    [Fact]
    public async Task Bad_query_parameters_get_a_400_naming_each_problem()
    {
        using var client = new StorefrontClient(fixture);
        var response = await client.Http.GetAsync("/api/catalog/products?pageSize=0&page=-1&minPrice=abc&sort=bogus&categoryId=x&onPromotion=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblem>(StorefrontClient.Json))!;
        output.WriteLine(string.Join("\n", problem.Errors.Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}")));
        Assert.Equal(["categoryId", "minPrice", "onPromotion", "page", "pageSize", "sort"], problem.Errors.Keys.Order());
        Assert.Contains("1 to 100", problem.Errors["pageSize"][0]);
        Assert.Contains("relevance", problem.Errors["sort"][0]);

        var inverted = await client.Http.GetAsync("/api/catalog/products?minPrice=50&maxPrice=10");
        Assert.Equal(HttpStatusCode.BadRequest, inverted.StatusCode);
        Assert.Contains("maxPrice", await inverted.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.Http.GetAsync("/api/catalog/products/by-ids?ids=1,x")).StatusCode);
        var missing = await client.Http.GetAsync("/api/catalog/products/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_catalog_routes_and_no_service_only_feed()
    {
        using var client = new StorefrontClient(fixture);
        var document = await client.Http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/catalog/products", document);
        Assert.DoesNotContain("/api/reviews/feed", document);
        Assert.DoesNotContain("/api/interactions/feed", document);
    }

    private sealed record Expected(decimal ListPrice, decimal Price, string Winner, string? WinnerKind, int PromotionsApplying);

    /// <summary>An independent statement of the pricing rule, from the database rows.</summary>
    private async Task<Dictionary<int, Expected>> ExpectedPricesAsync()
    {
        await using var db = await Db.OpenAsync(fixture);
        var promotions = await db.QueryAsync(
            """SELECT "Name", "Kind", "Amount", "Target", "TargetId" FROM storefront."Promotions" WHERE "StartsAt" <= now() AND "EndsAt" > now()""",
            r => (Name: r.GetString(0), Kind: r.GetString(1), Amount: r.GetDecimal(2), Target: r.GetString(3), TargetId: r.GetInt32(4)));
        var products = await db.QueryAsync(
            """SELECT "Id", "Price", "DiscountPercent", "CategoryId", "ManufacturerId" FROM storefront."Products" """,
            r => (Id: r.GetInt32(0), Price: r.GetDecimal(1), Discount: r.GetDecimal(2), Category: r.GetInt32(3), Maker: r.GetInt32(4)));

        static decimal Cents(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero);
        var result = new Dictionary<int, Expected>();
        foreach (var p in products)
        {
            var options = new List<(decimal Price, string Winner, string? Kind)> { (p.Price, "list", null) };
            if (p.Discount > 0)
            {
                options.Add((Cents(p.Price - p.Price * p.Discount / 100), "own", null));
            }

            var applying = promotions.Where(x => x.Target switch
            {
                "Product" => x.TargetId == p.Id,
                "Category" => x.TargetId == p.Category,
                "Manufacturer" => x.TargetId == p.Maker,
                _ => false,
            }).ToList();
            foreach (var x in applying)
            {
                var price = x.Kind == "Percentage" ? Cents(p.Price - p.Price * x.Amount / 100) : Math.Max(0, Cents(p.Price - x.Amount));
                options.Add((price, "promo:" + x.Name, x.Kind));
            }

            var best = options.OrderBy(o => o.Price).First();
            result[p.Id] = new Expected(p.Price, best.Price, best.Winner, best.Kind, applying.Count);
        }

        return result;
    }
}
