using EcomGo.ServiceDefaults.Contracts;
using EcomGo.ServiceDefaults.Security;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Apis;

/// <summary>Public catalog reads: the ChatAgent's tools, the Recommender's and ReviewAnalyzer's syncs and any client.</summary>
public static class CatalogApi
{
    private const int MaxTextLength = 200;
    private const int MaxIds = 100;

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalog").WithTags("Catalog").WithApiConventions();

        api.MapGet("/products", SearchProductsAsync)
            .WithName("SearchProducts")
            .WithSummary("Search and filter products")
            .WithDescription("Full-text search (websearch syntax, ranked; partial words fall back to prefix matching) with filters on " +
                             "category, manufacturer, effective price and current discounts. sort: relevance, price-asc, price-desc, name, newest, top-rated.")
            .ProducesValidationProblem();
        api.MapGet("/products/by-ids", GetProductsByIdsAsync)
            .WithName("GetProductsByIds")
            .WithSummary("Products by id (comma-separated, at most 100), in the order given; unknown ids are skipped")
            .ProducesValidationProblem();
        api.MapGet("/feed", GetFeedAsync)
            .WithName("GetCatalogFeed")
            .WithSummary("Products in id order after 'afterId' with their full text (description, specs) and stock, for the Recommender's index")
            .ProducesValidationProblem()
            .RequireServiceAuthorization(); // bulk export for the AI services only
        api.MapGet("/products/{id:int}", GetProductAsync).WithName("GetProduct").WithSummary("One product with description, specs and manufacturer");
        api.MapGet("/categories", (ICatalogService catalog, CancellationToken ct) => catalog.GetCategoriesAsync(ct))
            .WithName("GetCategories").WithSummary("All categories with product counts");
        api.MapGet("/manufacturers", GetManufacturersAsync)
            .WithName("GetManufacturers").WithSummary("Manufacturers, optionally those whose name contains 'search'").ProducesValidationProblem();
        api.MapGet("/manufacturers/{id:int}", GetManufacturerAsync).WithName("GetManufacturer").WithSummary("A manufacturer with its products");
        api.MapGet("/promotions", (ICatalogService catalog, CancellationToken ct) => catalog.GetActivePromotionsAsync(ct))
            .WithName("GetPromotions").WithSummary("Promotions running now");
        return app;
    }

    /// <summary>Query parameters arrive as text so a bad value gets a message naming it, not a bare 400.</summary>
    public sealed record ProductSearchParameters(
        string? Text, string? CategoryId, string? ManufacturerId, string? MinPrice, string? MaxPrice, string? OnPromotion,
        string? Sort, string? Page, string? PageSize);

    private static async Task<IResult> SearchProductsAsync([AsParameters] ProductSearchParameters p, ICatalogService catalog, CancellationToken ct)
    {
        var errors = new ApiConventions.QueryErrors();
        var query = new ProductQuery(
            Text: errors.Text("text", p.Text, MaxTextLength),
            CategoryId: errors.Int("categoryId", p.CategoryId, 1, int.MaxValue),
            ManufacturerId: errors.Int("manufacturerId", p.ManufacturerId, 1, int.MaxValue),
            MinPrice: errors.Decimal("minPrice", p.MinPrice, 0m, 1_000_000m),
            MaxPrice: errors.Decimal("maxPrice", p.MaxPrice, 0m, 1_000_000m),
            OnPromotion: errors.Bool("onPromotion", p.OnPromotion),
            Sort: ParseSort(p.Sort, errors),
            Page: errors.Int("page", p.Page, 1, 10_000, 1)!.Value,
            PageSize: errors.Int("pageSize", p.PageSize, 1, CatalogService.MaxPageSize, 24)!.Value);
        if (query.MinPrice > query.MaxPrice)
        {
            errors.Add("minPrice", $"minPrice ({query.MinPrice}) must not be greater than maxPrice ({query.MaxPrice}).");
        }

        return errors.Any ? errors.Problem() : TypedResults.Ok(await catalog.SearchAsync(query, ct));
    }

    private static ProductSort ParseSort(string? raw, ApiConventions.QueryErrors errors)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return ProductSort.Relevance;
        }

        switch (raw.Trim().ToLowerInvariant().Replace("-", "").Replace("_", ""))
        {
            case "relevance": return ProductSort.Relevance;
            case "priceasc" or "priceascending" or "price": return ProductSort.PriceAscending;
            case "pricedesc" or "pricedescending": return ProductSort.PriceDescending;
            case "name": return ProductSort.Name;
            case "newest": return ProductSort.Newest;
            case "toprated" or "rating": return ProductSort.TopRated;
            default:
                errors.Add("sort", $"Unknown sort '{(raw.Length > 40 ? raw[..40] : raw)}': use relevance, price-asc, price-desc, name, newest or top-rated.");
                return ProductSort.Relevance;
        }
    }

    private static async Task<IResult> GetManufacturersAsync([FromQuery] string? search, ICatalogService catalog, CancellationToken ct)
    {
        var errors = new ApiConventions.QueryErrors();
        var text = errors.Text("search", search, MaxTextLength);
        return errors.Any ? errors.Problem() : TypedResults.Ok(await catalog.GetManufacturersAsync(text, ct));
    }

    private static async Task<IResult> GetProductsByIdsAsync([FromQuery] string? ids, ICatalogService catalog, CancellationToken ct)
    {
        var parts = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = new ApiConventions.QueryErrors();
        if (parts.Length == 0)
        {
            errors.Add("ids", "Give product ids as a comma-separated list, such as ids=1,2,3.");
        }
        else if (parts.Length > MaxIds)
        {
            errors.Add("ids", $"At most {MaxIds} ids per request.");
        }

        var parsed = new List<int>();
        foreach (var part in parts.Take(MaxIds))
        {
            if (errors.Int("ids", part, 1, int.MaxValue) is int id)
            {
                parsed.Add(id);
            }
        }

        return errors.Any ? errors.Problem() : TypedResults.Ok(await catalog.GetProductsAsync(parsed, ct));
    }

    private static async Task<IResult> GetFeedAsync([FromQuery] string? afterId, [FromQuery] string? take, StorefrontDbContext db, CancellationToken ct)
    {
        var errors = new ApiConventions.QueryErrors();
        var (after, count) = errors.FeedPage(afterId, take);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var rows = await db.Products.AsNoTracking()
            .Where(p => p.Id > after)
            .OrderBy(p => p.Id)
            .Take(count)
            .Select(p => new { p.Id, p.Name, p.CategoryId, CategoryName = p.Category!.Name, p.ManufacturerName, p.Description, p.Specs, p.Stock })
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(p => new CatalogFeedItem(
            p.Id, p.Name, p.CategoryId, p.CategoryName, p.ManufacturerName, p.Description, p.Specs, p.Stock)).ToList());
    }

    private static async Task<Results<Ok<ProductDetails>, ProblemHttpResult>> GetProductAsync(int id, ICatalogService catalog, CancellationToken ct) =>
        await catalog.GetProductAsync(id, ct) is { } product
            ? TypedResults.Ok(product)
            : ApiConventions.NotFound($"Product {id} does not exist.");

    private static async Task<Results<Ok<ManufacturerDetails>, ProblemHttpResult>> GetManufacturerAsync(int id, ICatalogService catalog, CancellationToken ct) =>
        await catalog.GetManufacturerAsync(id, ct) is { } manufacturer
            ? TypedResults.Ok(manufacturer)
            : ApiConventions.NotFound($"Manufacturer {id} does not exist.");
}
