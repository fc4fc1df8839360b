using System.Net.Http.Json;
using EcomGo.ServiceDefaults.Contracts;
using EcomGo.ServiceDefaults.Security;

namespace EcomGo.Storefront.Services;

/// <summary>How long page-blocking calls to the AI services may take before the Storefront falls back.</summary>
public sealed class AiServicesOptions
{
    public const string SectionName = "AiServices";

    public Uri RecommenderBaseAddress { get; set; } = new("http://recommender");
    public TimeSpan RecommenderTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Asks the Recommender for ranked lists with reasons; null means "no answer" (down, slow, an error status) so callers
/// fall back. The shopper key is always the caller's own signed-in user or session, set by the Storefront.
/// </summary>
public sealed class RecommenderClient(HttpClient http, ILogger<RecommenderClient> logger)
{
    public const string HttpClientName = "recommender";

    /// <summary>The call acts for this shopper (X-Shopper-Key): the Recommender answers only for the shopper the call carries.</summary>
    public Task<RecommendationList?> GetForShopperAsync(string shopperKey, int count, CancellationToken cancellationToken) =>
        GetAsync($"/api/recommendations/shoppers/{Uri.EscapeDataString(shopperKey)}?count={count}", cancellationToken, shopperKey);

    public Task<RecommendationList?> GetPopularAsync(int count, CancellationToken cancellationToken) =>
        GetAsync($"/api/recommendations/popular?count={count}", cancellationToken);

    public Task<RecommendationList?> GetSimilarAsync(int productId, int count, CancellationToken cancellationToken) =>
        GetAsync($"/api/recommendations/similar/{productId}?count={count}", cancellationToken);

    public Task<RecommendationList?> SearchAsync(string query, int count, CancellationToken cancellationToken) =>
        GetAsync($"/api/recommendations/search?q={Uri.EscapeDataString(query)}&count={count}", cancellationToken);

    public async Task<RecommendationList?> ColdStartAsync(ColdStartRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/api/recommendations/cold-start", request, cancellationToken);
            return await ReadAsync(response, "/api/recommendations/cold-start", cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "Recommender cold start failed; using the local fallback");
            return null;
        }
    }

    private async Task<RecommendationList?> GetAsync(string path, CancellationToken cancellationToken, string? shopperKey = null)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (shopperKey is not null)
            {
                request.SetShopperKey(shopperKey);
            }

            using var response = await http.SendAsync(request, cancellationToken);
            return await ReadAsync(response, path, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "Recommender call {Path} failed; using the local fallback", path);
            return null;
        }
    }

    private async Task<RecommendationList?> ReadAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            logger.LogDebug("Recommender call {Path} answered {Status}; using the local fallback", path, (int)response.StatusCode);
            return null;
        }

        return await response.Content.ReadFromJsonAsync<RecommendationList>(cancellationToken);
    }
}
