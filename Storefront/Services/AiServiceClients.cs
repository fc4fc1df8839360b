using System.Net.Http.Json;

namespace EcomGo.Storefront.Services;

/// <summary>How long page-blocking calls to the AI services may take before the Storefront falls back.</summary>
public sealed class AiServicesOptions
{
    public const string SectionName = "AiServices";

    public Uri RecommenderBaseAddress { get; set; } = new("http://recommender");
    public TimeSpan RecommenderTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Asks the Recommender for product ids; null means "no answer" (down, slow, 404, not implemented) so callers fall back.</summary>
public sealed class RecommenderClient(HttpClient http, ILogger<RecommenderClient> logger)
{
    public const string HttpClientName = "recommender";

    public Task<IReadOnlyList<int>?> GetForShopperAsync(string shopperKey, int count, CancellationToken cancellationToken) =>
        GetIdsAsync($"/api/recommendations/shoppers/{Uri.EscapeDataString(shopperKey)}?count={count}", cancellationToken);

    public Task<IReadOnlyList<int>?> GetPopularAsync(int count, CancellationToken cancellationToken) =>
        GetIdsAsync($"/api/recommendations/popular?count={count}", cancellationToken);

    public Task<IReadOnlyList<int>?> GetSimilarAsync(int productId, int count, CancellationToken cancellationToken) =>
        GetIdsAsync($"/api/recommendations/similar/{productId}?count={count}", cancellationToken);

    private async Task<IReadOnlyList<int>?> GetIdsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            return await response.Content.ReadFromJsonAsync<List<int>>(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "Recommender call {Path} failed; using the local fallback", path);
            return null;
        }
    }
}
