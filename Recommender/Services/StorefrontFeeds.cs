using System.Globalization;
using EcomGo.ServiceDefaults.Contracts;

namespace EcomGo.Recommender.Services;

/// <summary>Typed client for the Storefront's <c>GET /api/catalog/feed?afterId=&amp;take=</c> (products in id order with their text).</summary>
public sealed class StorefrontCatalogFeed(HttpClient http)
{
    public async Task<IReadOnlyList<CatalogFeedItem>> GetPageAsync(int afterId, int take, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<CatalogFeedItem>>(
            string.Create(CultureInfo.InvariantCulture, $"/api/catalog/feed?afterId={afterId}&take={take}"), cancellationToken) ?? [];
}

/// <summary>Typed client for the Storefront's <c>GET /api/interactions/feed?afterId=&amp;take=</c> (interactions in id order).</summary>
public sealed class StorefrontInteractionFeed(HttpClient http)
{
    public async Task<IReadOnlyList<InteractionFeedItem>> GetPageAsync(long afterId, int take, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<InteractionFeedItem>>(
            string.Create(CultureInfo.InvariantCulture, $"/api/interactions/feed?afterId={afterId}&take={take}"), cancellationToken) ?? [];
}
