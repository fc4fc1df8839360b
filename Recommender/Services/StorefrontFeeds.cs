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

/// <summary>One interaction as the Storefront's feed serves it (exactly one of UserId / SessionId is set).</summary>
public sealed record FeedInteraction(long Id, string? UserId, string? SessionId, int ProductId, string Kind, int Value, DateTimeOffset OccurredAt);

/// <summary>Typed client for the Storefront's <c>GET /api/interactions/feed?afterId=&amp;take=</c> (interactions in id order).</summary>
public sealed class StorefrontInteractionFeed(HttpClient http)
{
    public async Task<IReadOnlyList<FeedInteraction>> GetPageAsync(long afterId, int take, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<FeedInteraction>>(
            string.Create(CultureInfo.InvariantCulture, $"/api/interactions/feed?afterId={afterId}&take={take}"), cancellationToken) ?? [];
}
