using System.Text.RegularExpressions;
using EcomGo.Recommender.Services;
using EcomGo.ServiceDefaults.Contracts;
using EcomGo.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EcomGo.Recommender.Apis;

/// <summary>
/// Recommendations for the Storefront and the ChatAgent (service callers only: no external endpoint). The caller passes
/// the shopper key of its own signed-in user or session; the key is never taken from a shopper.
/// </summary>
public static partial class RecommendationsApi
{
    public const int DefaultCount = 10;
    public const int MaxCount = 50;
    public const int MaxColdStartProducts = 20;
    public const int MaxTextLength = 500;
    public const int MaxQueryLength = 200;

    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        // Service callers only (401 otherwise). The policy is applied directly rather than through
        // RequireServiceAuthorization() so the routes stay in this service's own OpenAPI document (it has no external endpoint).
        var api = app.MapGroup("/api/recommendations").WithTags("Recommendations").RequireAuthorization(ServiceAuthentication.PolicyName);

        api.MapGet("/shoppers/{shopperKey}", GetForShopperAsync).WithName("GetShopperRecommendations")
            .WithSummary("Personal recommendations for 'user:{id}' or 'session:{id}', each with a reason (popular products for unknown shoppers).");
        api.MapGet("/popular", GetPopularAsync).WithName("GetPopular")
            .WithSummary("Popular in-stock products of the last week (or month, or all time when the week is quiet), optionally in one category.");
        api.MapGet("/similar/{productId}", GetSimilarAsync).WithName("GetSimilar")
            .WithSummary("In-stock products nearest to one product in embedding space.");
        api.MapPost("/cold-start", ColdStartAsync).WithName("ColdStart")
            .WithSummary("Recommendations for a newcomer from a few picked products and/or a sentence about what they like.");
        api.MapGet("/search", SearchAsync).WithName("SemanticSearch")
            .WithSummary("Semantic product search: products nearest to the embedded query.");
        api.MapGet("/index-status", GetIndexStatus).WithName("GetIndexStatus")
            .WithSummary("Embedding model and progress of the product index.");
        return api;
    }

    public static async Task<Results<Ok<RecommendationList>, ProblemHttpResult>> GetForShopperAsync(
        string shopperKey, [FromQuery] string? count, HttpContext http, RecommendationEngine engine, RecommendationCache cache,
        RecommenderTelemetry telemetry, CancellationToken cancellationToken)
    {
        if (!ShopperKeyPattern().IsMatch(shopperKey))
        {
            return BadRequest("Invalid shopper key", "shopperKey must be 'user:{id}' or 'session:{id}' (letters, digits, '-' and '_', at most 100).");
        }

        // A service call acts for one shopper (X-Shopper-Key, set by the Storefront from the signed-in user or the session):
        // it gets that shopper's list and nobody else's.
        if (http.GetShopperKey() != shopperKey)
        {
            return TypedResults.Problem(title: "Not this shopper's call", statusCode: StatusCodes.Status403Forbidden,
                detail: $"A personal list is only given for the shopper the call acts for: send {ServiceAuthentication.ShopperKeyHeader} with the same key.");
        }

        if (!TryParseCount(count, out var n, out var problem))
        {
            return problem;
        }

        var (list, cached) = await cache.GetOrCreateForShopperAsync(shopperKey, n, () => engine.ForShopperAsync(shopperKey, n, cancellationToken));
        telemetry.RecordServed(list.Method, cached);
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Ok<RecommendationList>, ProblemHttpResult>> GetPopularAsync(
        [FromQuery] string? count, [FromQuery] string? category, RecommendationEngine engine, RecommendationCache cache, RecommenderTelemetry telemetry,
        CancellationToken cancellationToken)
    {
        if (!TryParseCount(count, out var n, out var problem))
        {
            return problem;
        }

        int? categoryId = null;
        if (!string.IsNullOrWhiteSpace(category))
        {
            if (!int.TryParse(category, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                return BadRequest("Invalid category", $"category must be a positive category id (got '{Shorten(category)}').");
            }

            categoryId = id;
        }

        var (list, cached) = await cache.GetOrCreateSharedAsync($"popular:{categoryId}:{n}", () => engine.PopularAsync(n, categoryId, cancellationToken));
        telemetry.RecordServed(list.Method, cached);
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Ok<RecommendationList>, ProblemHttpResult>> GetSimilarAsync(
        string productId, [FromQuery] string? count, RecommendationEngine engine, RecommendationCache cache, RecommenderTelemetry telemetry,
        CancellationToken cancellationToken)
    {
        if (!int.TryParse(productId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return BadRequest("Invalid product id", $"productId must be a positive integer (got '{Shorten(productId)}').");
        }

        if (!TryParseCount(count, out var n, out var problem))
        {
            return problem;
        }

        try
        {
            var (list, cached) = await cache.GetOrCreateSharedAsync($"similar:{id}:{n}", async () =>
                await engine.SimilarAsync(id, n, cancellationToken) ?? throw new ProductNotIndexedException());
            telemetry.RecordServed(list.Method, cached);
            return TypedResults.Ok(list);
        }
        catch (ProductNotIndexedException)
        {
            // Not cached: the product may be embedded a moment later.
            return TypedResults.Problem(title: "Unknown product", detail: $"Product {id} is not in the index (unknown, or not embedded yet).",
                statusCode: StatusCodes.Status404NotFound);
        }
    }

    private sealed class ProductNotIndexedException : Exception;

    public static async Task<Results<Ok<RecommendationList>, ProblemHttpResult>> ColdStartAsync(
        ColdStartRequest? request, RecommendationEngine engine, RecommenderTelemetry telemetry, CancellationToken cancellationToken)
    {
        var ids = request?.ProductIds?.Distinct().ToList() ?? [];
        var text = request?.Text?.Trim();
        if (ids.Count == 0 && string.IsNullOrEmpty(text))
        {
            return BadRequest("Nothing to start from", "Give productIds (a few products the shopper likes), text (what they like), or both.");
        }

        if (ids.Count > MaxColdStartProducts || ids.Any(id => id <= 0))
        {
            return BadRequest("Invalid productIds", $"productIds must be 1 to {MaxColdStartProducts} positive product ids.");
        }

        if (text is { Length: > MaxTextLength })
        {
            return BadRequest("Text too long", $"text must be at most {MaxTextLength} characters.");
        }

        var count = request?.Count ?? DefaultCount;
        if (count is < 1 or > MaxCount)
        {
            return BadRequest("Invalid count", $"count must be from 1 to {MaxCount}.");
        }

        if (ids.Count > 0)
        {
            var known = await engine.KnownProductsAsync(ids, cancellationToken);
            var unknown = ids.Except(known).ToList();
            if (unknown.Count > 0)
            {
                return TypedResults.Problem(title: "Unknown products", statusCode: StatusCodes.Status400BadRequest,
                    detail: $"Not in the index (unknown, or not embedded yet): {string.Join(", ", unknown.Take(10))}.");
            }
        }

        var list = await engine.ColdStartAsync(ids, string.IsNullOrEmpty(text) ? null : text, count, cancellationToken);
        telemetry.RecordServed(list.Method, cached: false);
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Ok<RecommendationList>, ProblemHttpResult>> SearchAsync(
        [FromQuery] string? q, [FromQuery] string? count, RecommendationEngine engine, RecommenderTelemetry telemetry, CancellationToken cancellationToken)
    {
        var query = q?.Trim();
        if (string.IsNullOrEmpty(query))
        {
            return BadRequest("Missing query", "q must be the text to search for.");
        }

        if (query.Length > MaxQueryLength || query.Any(char.IsControl))
        {
            return BadRequest("Invalid query", $"q must be at most {MaxQueryLength} characters, without control characters.");
        }

        if (!TryParseCount(count, out var n, out var problem))
        {
            return problem;
        }

        var list = await engine.SearchAsync(query, n, cancellationToken);
        telemetry.RecordServed(list.Method, cached: false);
        return TypedResults.Ok(list);
    }

    public static Ok<ProductIndexStatus> GetIndexStatus(ProductIndexProgress progress, EmbeddingModel model)
    {
        var (completedAt, embedded, error) = progress.LastPass();
        return TypedResults.Ok(new ProductIndexStatus(model.Name, EmbeddingModel.Dimensions, progress.IndexedProducts, progress.CatalogProducts,
            progress.FirstPassCompleted, completedAt, embedded, error));
    }

    private static bool TryParseCount(string? raw, out int count, out ProblemHttpResult problem)
    {
        problem = null!;
        count = DefaultCount;
        if (string.IsNullOrWhiteSpace(raw))
        {
            return true;
        }

        if (int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxCount)
        {
            return true;
        }

        problem = BadRequest("Invalid count", $"count must be a whole number from 1 to {MaxCount} (got '{Shorten(raw)}').");
        return false;
    }

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "\u2026" : value;

    [GeneratedRegex("^(user|session):[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex ShopperKeyPattern();
}
