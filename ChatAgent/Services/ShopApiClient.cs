// The Storefront's catalog API and the ReviewAnalyzer's opinion API as the tools read them: the producers' own contract
// records (ServiceDefaults/Contracts), under the names the tools use, so a change on their side breaks this build.
global using ShopPrice = EcomGo.ServiceDefaults.Contracts.PriceInfo;
global using ShopProduct = EcomGo.ServiceDefaults.Contracts.ProductSummary;
global using ShopProductPage = EcomGo.ServiceDefaults.Contracts.PagedResult<EcomGo.ServiceDefaults.Contracts.ProductSummary>;
global using ShopManufacturer = EcomGo.ServiceDefaults.Contracts.ManufacturerInfo;
global using ShopProductDetails = EcomGo.ServiceDefaults.Contracts.ProductDetails;
global using ShopManufacturerDetails = EcomGo.ServiceDefaults.Contracts.ManufacturerDetails;
global using ShopCategory = EcomGo.ServiceDefaults.Contracts.CategoryInfo;
global using ProductOpinion = EcomGo.ServiceDefaults.Contracts.OpinionDto;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcomGo.ServiceDefaults.Security;

namespace EcomGo.ChatAgent.Services;

// Kept here: the Storefront's PromotionInfo carries its entity enums (serialized as names), which stay in the Storefront.
public sealed record ShopPromotion(
    int Id, string Name, string Description, string Kind, decimal Amount, string Target, int TargetId, string TargetName,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record ProductSearch(
    string? Text = null, int? CategoryId = null, int? ManufacturerId = null, decimal? MinPrice = null, decimal? MaxPrice = null,
    bool OnPromotion = false, string? Sort = null, int PageSize = 24);

/// <summary>A shop API said no (bad argument, unknown id) or could not be reached: the message is safe to show the model.</summary>
public sealed class ShopApiException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>Read-only calls to the Storefront's public catalog API (service discovery name "storefront").</summary>
public sealed class StorefrontCatalogClient(HttpClient http)
{
    public const string HttpClientName = "storefront-catalog";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public Task<ShopProductPage> SearchAsync(ProductSearch search, CancellationToken ct)
    {
        var query = new List<string> { $"pageSize={search.PageSize}" };
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!)}");
            }
        }

        Add("text", search.Text);
        Add("categoryId", search.CategoryId);
        Add("manufacturerId", search.ManufacturerId);
        Add("minPrice", search.MinPrice);
        Add("maxPrice", search.MaxPrice);
        Add("onPromotion", search.OnPromotion ? "true" : null);
        Add("sort", search.Sort);
        return GetAsync<ShopProductPage>("/api/catalog/products?" + string.Join('&', query), ct)!;
    }

    public Task<ShopProductDetails?> GetProductAsync(int id, CancellationToken ct) => GetOrNullAsync<ShopProductDetails>($"/api/catalog/products/{id}", ct);

    public async Task<IReadOnlyList<ShopProduct>> GetProductsAsync(IEnumerable<int> ids, CancellationToken ct) =>
        await GetAsync<List<ShopProduct>>("/api/catalog/products/by-ids?ids=" + string.Join(',', ids), ct);

    public async Task<IReadOnlyList<ShopManufacturer>> GetManufacturersAsync(string? search, CancellationToken ct) =>
        await GetAsync<List<ShopManufacturer>>("/api/catalog/manufacturers" + (search is null ? "" : "?search=" + Uri.EscapeDataString(search)), ct);

    public Task<ShopManufacturerDetails?> GetManufacturerAsync(int id, CancellationToken ct) =>
        GetOrNullAsync<ShopManufacturerDetails>($"/api/catalog/manufacturers/{id}", ct);

    public async Task<IReadOnlyList<ShopCategory>> GetCategoriesAsync(CancellationToken ct) =>
        await GetAsync<List<ShopCategory>>("/api/catalog/categories", ct);

    public async Task<IReadOnlyList<ShopPromotion>> GetPromotionsAsync(CancellationToken ct) =>
        await GetAsync<List<ShopPromotion>>("/api/catalog/promotions", ct);

    private async Task<T> GetAsync<T>(string path, CancellationToken ct) where T : class =>
        await GetOrNullAsync<T>(path, ct) ?? throw new ShopApiException("The shop has no such item.", HttpStatusCode.NotFound);

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken ct) where T : class
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(path, ct);
        }
        catch (HttpRequestException)
        {
            throw new ShopApiException("The shop's catalog could not be reached.");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                // ValidationProblem: pass the messages on, they name the bad argument.
                var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblem>(Json, ct);
                var messages = problem?.Errors?.SelectMany(e => e.Value) ?? [];
                throw new ShopApiException("Invalid search: " + string.Join(" ", messages), response.StatusCode);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ShopApiException($"The shop's catalog answered {(int)response.StatusCode}.", response.StatusCode);
            }

            return await response.Content.ReadFromJsonAsync<T>(Json, ct);
        }
    }

    private sealed record HttpValidationProblem(Dictionary<string, string[]>? Errors);
}

/// <summary>Opinion summaries from the ReviewAnalyzer (service discovery name "review-analyzer").</summary>
public sealed class ReviewAnalyzerOpinionClient(HttpClient http)
{
    public const string HttpClientName = "review-analyzer-opinions";

    /// <summary>Null when the ReviewAnalyzer has no summary for the product yet.</summary>
    public async Task<ProductOpinion?> GetOpinionAsync(int productId, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync($"/api/opinions/{productId}", ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ShopApiException($"The review analysis service answered {(int)response.StatusCode}.", response.StatusCode);
            }

            return await response.Content.ReadFromJsonAsync<ProductOpinion>(StorefrontCatalogClient.Json, ct);
        }
        catch (HttpRequestException)
        {
            throw new ShopApiException("The review analysis service could not be reached.");
        }
    }
}

/// <summary>
/// The Recommender's semantic search and personal lists (service discovery name "recommender"). The shopper a personal
/// list is for travels in the authenticated call's header, set from the turn's caller, never from the model.
/// </summary>
public sealed class RecommenderClient(HttpClient http)
{
    public const string HttpClientName = "recommender";

    /// <summary>Products nearest in meaning to <paramref name="text"/>; empty when the Recommender does not answer (keyword search already ran).</summary>
    public async Task<IReadOnlyList<EcomGo.ServiceDefaults.Contracts.RecommendedItem>> SearchAsync(string text, int count, CancellationToken ct)
    {
        try
        {
            var list = await http.GetFromJsonAsync<EcomGo.ServiceDefaults.Contracts.RecommendationList>(
                $"/api/recommendations/search?q={Uri.EscapeDataString(text)}&count={count}", StorefrontCatalogClient.Json, ct);
            return list?.Items ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return [];
        }
    }

    public async Task<EcomGo.ServiceDefaults.Contracts.RecommendationList> ForShopperAsync(string shopperKey, int count, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/recommendations/shoppers/{Uri.EscapeDataString(shopperKey)}?count={count}");
        request.SetShopperKey(shopperKey);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new ShopApiException($"The recommendation service answered {(int)response.StatusCode}.", response.StatusCode);
            }

            return await response.Content.ReadFromJsonAsync<EcomGo.ServiceDefaults.Contracts.RecommendationList>(StorefrontCatalogClient.Json, ct)
                   ?? throw new ShopApiException("The recommendation service gave an empty answer.");
        }
        catch (HttpRequestException)
        {
            throw new ShopApiException("The recommendation service could not be reached.");
        }
    }
}
