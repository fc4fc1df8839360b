using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcomGo.ChatAgent.Services;
using Microsoft.SemanticKernel;

namespace EcomGo.ChatAgent.Tools;

/// <summary>A tool argument the shop cannot use; the message goes back to the model so it can correct the call.</summary>
public sealed class ToolArgumentException(string message) : Exception(message);

/// <summary>Names the model sees: SK names a plugin's function "{plugin}_{function}".</summary>
public static class ToolNames
{
    public const string SearchProducts = "products_search";
    public const string ProductDetails = "products_details";
    public const string CompareProducts = "products_compare";
    public const string SearchManufacturers = "manufacturers_search";
    public const string ManufacturerWithProducts = "manufacturers_get";
    public const string CurrentPromotions = "promotions_current";
    public const string ReviewSummary = "reviews_summary";
    public const string RecommendedForMe = "recommendations_for_me";
}

/// <summary>How tool results are written for the model: compact JSON, product text clearly marked as shop data.</summary>
internal static class ToolJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The model reads this text, not a browser: "<<shop-data>>" must stay readable, not become \u003C.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(object value) => JsonSerializer.Serialize(value, Options);

    public static object Product(ShopProduct p) => new
    {
        id = p.Id,
        name = p.Name,
        manufacturer = p.ManufacturerName,
        category = p.CategoryName,
        price = p.Price.Price,
        listPrice = p.Price.Saving > 0 ? p.Price.ListPrice : (decimal?)null,
        discount = p.Price.Saving > 0 ? p.Price.DiscountLabel ?? "on sale" : null,
        inStock = p.Stock > 0,
        rating = p.AverageRating,
        reviews = p.ReviewCount,
        url = ProductUrl(p.Id),
    };

    public static string ProductUrl(int id) => $"/products/{id}";

    /// <summary>Text written by others (descriptions, reviews) is data: fenced so it cannot pass for instructions.</summary>
    public static string UntrustedText(string text) => "<<shop-data>>" + text.Replace("<<", "‹‹").Replace(">>", "››") + "<</shop-data>>";
}

public sealed class ProductsPlugin(
    StorefrontCatalogClient catalog, RecommenderClient recommender, TurnEvidence evidence, ChatAgentOptions options, double? semanticMinScore = null)
{
    // Fewer keyword matches than this and the search also asks the Recommender for products close in meaning.
    private const int FewKeywordMatches = 3;

    private static readonly string[] Sorts = ["relevance", "price-asc", "price-desc", "name", "newest", "top-rated"];

    [KernelFunction("search")]
    [Description("Search the shop's products. Use it for every question about which products exist, their prices, deals or stock. " +
                 "All parameters are optional; combine them. Returns at most a few products with id, name, manufacturer, price, " +
                 "listPrice and discount when on sale, stock and rating.")]
    public async Task<string> SearchAsync(
        [Description("Keywords describing the product, e.g. 'trail running shoes' or 'espresso grinder'. Leave out brand names and prices: use the other parameters.")] string? query = null,
        [Description("Category name, e.g. 'Laptops', 'Running Shoes', 'Coffee'. Leave empty when unsure.")] string? category = null,
        [Description("Manufacturer (brand) name, e.g. 'Lenovo' or 'Stridewell'.")] string? manufacturer = null,
        [Description("Lowest price in dollars.")] decimal? minPrice = null,
        [Description("Highest price in dollars, e.g. 900 for 'under $900'.")] decimal? maxPrice = null,
        [Description("true to return only products discounted right now (on sale, deals, promotions).")] bool? onPromotion = null,
        [Description("true to return only products in stock.")] bool? inStockOnly = null,
        [Description("Order: relevance (default), price-asc, price-desc, name, newest or top-rated.")] string? sort = null,
        CancellationToken cancellationToken = default)
    {
        if (minPrice < 0 || maxPrice < 0)
        {
            throw new ToolArgumentException("Prices cannot be negative.");
        }

        if (minPrice > maxPrice)
        {
            throw new ToolArgumentException($"minPrice ({minPrice}) is greater than maxPrice ({maxPrice}).");
        }

        if (sort is not null && !Sorts.Contains(sort.Trim().ToLowerInvariant()))
        {
            throw new ToolArgumentException($"Unknown sort '{Shorten(sort)}': use one of {string.Join(", ", Sorts)}.");
        }

        var categoryId = await ResolveCategoryAsync(category, cancellationToken);
        var manufacturerId = await ResolveManufacturerAsync(manufacturer, cancellationToken);
        var text = string.IsNullOrWhiteSpace(query) ? null : Shorten(query.Trim(), 200);
        var page = await catalog.SearchAsync(
            new ProductSearch(text, categoryId, manufacturerId, minPrice, maxPrice, onPromotion == true, sort?.Trim().ToLowerInvariant(),
                PageSize: inStockOnly == true ? 48 : options.MaxSearchResults),
            cancellationToken);
        var products = page.Items.Where(p => inStockOnly != true || p.Stock > 0).Take(options.MaxSearchResults).ToArray();
        var byMeaning = text is null || products.Length >= FewKeywordMatches
            ? []
            : await MatchByMeaningAsync(text, products.Select(p => p.Id).ToHashSet(), options.MaxSearchResults - products.Length,
                p => (categoryId is null || p.CategoryId == categoryId) && (manufacturerId is null || p.ManufacturerId == manufacturerId)
                     && (minPrice is null || p.Price.Price >= minPrice) && (maxPrice is null || p.Price.Price <= maxPrice)
                     && (onPromotion != true || p.Price.IsDiscounted) && (inStockOnly != true || p.Stock > 0),
                cancellationToken);
        evidence.AddProducts(products.Concat(byMeaning));
        evidence.AddAmounts(new[] { minPrice, maxPrice }.OfType<decimal>());
        return ToolJson.Write(new
        {
            totalMatches = page.TotalCount,
            products = products.Select(ToolJson.Product),
            similarInMeaning = byMeaning.Length == 0 ? null : byMeaning.Select(ToolJson.Product),
            note = (products.Length, byMeaning.Length) switch
            {
                (0, 0) => "No product in the shop matches. Say so; do not suggest products that were not returned.",
                (_, > 0) => "similarInMeaning lists products close to the request in meaning, not by keyword: offer only those that really fit, and say when none does.",
                _ => null,
            },
        });
    }

    /// <summary>
    /// Vague requests ("something for a rainy hike") find little by keyword: the Recommender's semantic search adds
    /// products close in meaning, with the same filters applied and only above a similarity floor.
    /// </summary>
    private async Task<ShopProduct[]> MatchByMeaningAsync(string text, IReadOnlySet<int> exclude, int count, Func<ShopProduct, bool> filter,
        CancellationToken cancellationToken)
    {
        var matches = (await recommender.SearchAsync(text, 24, cancellationToken))
            .Where(m => m.Score >= (semanticMinScore ?? options.SemanticSearchMinScore) && !exclude.Contains(m.ProductId))
            .ToList();
        if (matches.Count == 0 || count <= 0)
        {
            return [];
        }

        var products = (await catalog.GetProductsAsync(matches.Select(m => m.ProductId), cancellationToken)).ToDictionary(p => p.Id);
        return [.. matches.Select(m => products.GetValueOrDefault(m.ProductId)).OfType<ShopProduct>().Where(filter).Take(count)];
    }

    [KernelFunction("details")]
    [Description("Full details of one product: description, specifications, price and its manufacturer. Use the id from a search result.")]
    public async Task<string> DetailsAsync(
        [Description("The product id (a whole number from a search result).")] int productId,
        CancellationToken cancellationToken = default)
    {
        RequireId(productId, "productId");
        var details = await catalog.GetProductAsync(productId, cancellationToken)
                      ?? throw new ToolArgumentException($"Product {productId} does not exist. Search for products to get valid ids.");
        evidence.AddProducts([details.Summary]);
        evidence.AddManufacturers([details.Manufacturer.Name]);
        return ToolJson.Write(new
        {
            product = ToolJson.Product(details.Summary),
            description = ToolJson.UntrustedText(details.Description),
            specs = details.Specs,
            manufacturerCountry = details.Manufacturer.Country,
        });
    }

    [KernelFunction("compare")]
    [Description("Compare two to four products side by side: price, discount, rating, stock and specifications.")]
    public async Task<string> CompareAsync(
        [Description("Two to four product ids, e.g. [12, 40].")] int[] productIds,
        CancellationToken cancellationToken = default)
    {
        var ids = (productIds ?? []).Distinct().ToArray();
        if (ids.Length is < 2 or > 4)
        {
            throw new ToolArgumentException("Give two to four different product ids to compare.");
        }

        foreach (var id in ids)
        {
            RequireId(id, "productIds");
        }

        var details = await Task.WhenAll(ids.Select(id => catalog.GetProductAsync(id, cancellationToken)));
        var missing = ids.Where((_, i) => details[i] is null).ToArray();
        if (missing.Length > 0)
        {
            throw new ToolArgumentException($"No product with id {string.Join(", ", missing)}. Search for products to get valid ids.");
        }

        evidence.AddProducts(details.Select(d => d!.Summary));
        return ToolJson.Write(details.Select(d => new { product = ToolJson.Product(d!.Summary), specs = d.Specs }));
    }

    private async Task<int?> ResolveCategoryAsync(string? category, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(category))
        {
            return null;
        }

        var name = category.Trim();
        var categories = await catalog.GetCategoriesAsync(ct);
        var match = categories.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || c.Slug.Equals(name, StringComparison.OrdinalIgnoreCase))
                    ?? categories.FirstOrDefault(c => c.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
                    ?? categories.FirstOrDefault(c => name.TrimEnd('s').Length > 2 && c.Name.Contains(name.TrimEnd('s'), StringComparison.OrdinalIgnoreCase));
        return match?.Id ?? throw new ToolArgumentException(
            $"Unknown category '{Shorten(name)}'. Categories: {string.Join(", ", categories.Select(c => c.Name))}. Or leave category empty and use query.");
    }

    private async Task<int?> ResolveManufacturerAsync(string? manufacturer, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(manufacturer))
        {
            return null;
        }

        var name = Shorten(manufacturer.Trim(), 200);
        var matches = await catalog.GetManufacturersAsync(name, ct);
        var match = matches.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? (matches.Count == 1 ? matches[0] : null);
        if (match is null)
        {
            throw new ToolArgumentException(matches.Count == 0
                ? $"The shop has no manufacturer called '{Shorten(name)}'."
                : $"'{Shorten(name)}' matches several manufacturers: {string.Join(", ", matches.Select(m => m.Name))}. Use the full name.");
        }

        evidence.AddManufacturers([match.Name]);
        return match.Id;
    }

    internal static void RequireId(int id, string name)
    {
        if (id <= 0)
        {
            throw new ToolArgumentException($"{name} must be a positive product id from a search result.");
        }
    }

    internal static string Shorten(string text, int max = 40) => text.Length <= max ? text : text[..max] + "…";
}

public sealed class ManufacturersPlugin(StorefrontCatalogClient catalog, TurnEvidence evidence, ChatAgentOptions options)
{
    [KernelFunction("search")]
    [Description("Find manufacturers (brands) by name and/or country. Returns id, name, country, year founded, website and number of products.")]
    public async Task<string> SearchAsync(
        [Description("Part of the manufacturer's name, e.g. 'Stride'. Leave empty to list all.")] string? name = null,
        [Description("Country, e.g. 'Germany' or 'United Kingdom'.")] string? country = null,
        CancellationToken cancellationToken = default)
    {
        var search = string.IsNullOrWhiteSpace(name) ? null : ProductsPlugin.Shorten(name.Trim(), 200);
        var manufacturers = (await catalog.GetManufacturersAsync(search, cancellationToken))
            .Where(m => string.IsNullOrWhiteSpace(country) || m.Country.Contains(country.Trim(), StringComparison.OrdinalIgnoreCase))
            .Take(20)
            .ToArray();
        evidence.AddManufacturers(manufacturers.Select(m => m.Name));
        return ToolJson.Write(new
        {
            manufacturers = manufacturers.Select(m => new { m.Id, m.Name, m.Country, m.Founded, m.Website, m.ProductCount }),
            note = manufacturers.Length == 0 ? "No manufacturer matches. Say so." : null,
        });
    }

    [KernelFunction("get")]
    [Description("One manufacturer with its description, country and its products in the shop. Give the name or the id.")]
    public async Task<string> GetAsync(
        [Description("The manufacturer's name (e.g. 'Stridewell') or id.")] string manufacturer,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(manufacturer))
        {
            throw new ToolArgumentException("Give a manufacturer name or id.");
        }

        var key = manufacturer.Trim();
        int id;
        if (!int.TryParse(key, out id))
        {
            var matches = await catalog.GetManufacturersAsync(ProductsPlugin.Shorten(key, 200), cancellationToken);
            var match = matches.FirstOrDefault(m => m.Name.Equals(key, StringComparison.OrdinalIgnoreCase)) ?? (matches.Count == 1 ? matches[0] : null)
                        ?? throw new ToolArgumentException(matches.Count == 0
                            ? $"The shop has no manufacturer called '{ProductsPlugin.Shorten(key)}'."
                            : $"Several manufacturers match: {string.Join(", ", matches.Select(m => m.Name))}. Use the full name.");
            id = match.Id;
        }

        var details = await catalog.GetManufacturerAsync(id, cancellationToken)
                      ?? throw new ToolArgumentException($"Manufacturer {id} does not exist.");
        var products = details.Products.Take(options.MaxSearchResults).ToArray();
        evidence.AddManufacturers([details.Manufacturer.Name]);
        evidence.AddProducts(products);
        var m = details.Manufacturer;
        return ToolJson.Write(new
        {
            manufacturer = new { m.Id, m.Name, m.Country, m.Founded, m.Website, description = ToolJson.UntrustedText(m.Description), m.ProductCount },
            products = products.Select(ToolJson.Product),
        });
    }
}

public sealed class PromotionsPlugin(StorefrontCatalogClient catalog, TurnEvidence evidence)
{
    [KernelFunction("current")]
    [Description("The promotions running now: name, what they apply to (a category, manufacturer or product), the discount and when they end. " +
                 "To list discounted products use products_search with onPromotion=true.")]
    public async Task<string> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var promotions = await catalog.GetPromotionsAsync(cancellationToken);
        evidence.AddAmounts(promotions.Select(p => p.Amount));
        return ToolJson.Write(new
        {
            promotions = promotions.Take(20).Select(p => new
            {
                p.Name, p.Kind, p.Amount, appliesTo = $"{p.Target} {p.TargetName}", endsAt = p.EndsAt.ToString("yyyy-MM-dd"),
            }),
            note = promotions.Count == 0 ? "No promotion is running now." : null,
        });
    }
}

public sealed class ReviewsPlugin(ReviewAnalyzerOpinionClient opinions, StorefrontCatalogClient catalog, TurnEvidence evidence)
{
    [KernelFunction("summary")]
    [Description("What reviewers think of one product: counts of positive, neutral and negative reviews and a summary of their opinions.")]
    public async Task<string> SummaryAsync(
        [Description("The product id (a whole number from a search result).")] int productId,
        CancellationToken cancellationToken = default)
    {
        ProductsPlugin.RequireId(productId, "productId");
        var product = await catalog.GetProductAsync(productId, cancellationToken)
                      ?? throw new ToolArgumentException($"Product {productId} does not exist. Search for products to get valid ids.");
        evidence.AddProducts([product.Summary]);
        var opinion = await opinions.GetOpinionAsync(productId, cancellationToken);
        return ToolJson.Write(new
        {
            product = new { product.Summary.Id, product.Summary.Name, rating = product.Summary.AverageRating, reviews = product.Summary.ReviewCount },
            sentiment = opinion is null ? null : new { opinion.Positive, opinion.Neutral, opinion.Negative },
            summary = opinion is null ? null : ToolJson.UntrustedText(opinion.Summary),
            note = opinion is null ? "No review analysis is available for this product yet." : null,
        });
    }
}

/// <summary>
/// Personal recommendations for the shopper who is chatting. The shopper is the turn's authenticated caller, never an
/// argument: the model cannot ask for someone else's list.
/// </summary>
public sealed class RecommendationsPlugin(RecommenderClient recommender, StorefrontCatalogClient catalog, TurnEvidence evidence, ChatAgentOptions options,
    string? shopperKey)
{
    [KernelFunction("for_me")]
    [Description("Products recommended for the signed-in shopper from what they viewed, bought and rated, each with the reason. " +
                 "Use it when the shopper asks what you would recommend for them or what they might like.")]
    public async Task<string> ForMeAsync(CancellationToken cancellationToken = default)
    {
        if (shopperKey is null || !shopperKey.StartsWith("user:", StringComparison.Ordinal))
        {
            throw new ToolArgumentException(
                "The shopper is not signed in, so there are no personal recommendations. Say that signing in gives them; offer to search instead.");
        }

        var list = await recommender.ForShopperAsync(shopperKey, options.MaxSearchResults, cancellationToken);
        var products = (await catalog.GetProductsAsync(list.Items.Select(i => i.ProductId), cancellationToken)).ToDictionary(p => p.Id);
        var items = list.Items.Where(i => products.ContainsKey(i.ProductId)).Take(options.MaxSearchResults).ToArray();
        evidence.AddProducts(items.Select(i => products[i.ProductId]));
        return ToolJson.Write(new
        {
            recommendations = items.Select(i => new { product = ToolJson.Product(products[i.ProductId]), reason = i.Reason }),
            note = items.Length == 0 ? "No recommendation is available yet. Say so and offer to search." : null,
        });
    }
}
