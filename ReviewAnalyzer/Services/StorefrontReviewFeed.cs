using System.Globalization;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>One review as the Storefront's feed serves it.</summary>
public sealed record FeedReview(int Id, int ProductId, string? UserId, int Rating, string? Title, string? Text, DateTimeOffset CreatedAt)
{
    public ReviewInput ToInput() => new(Id, ProductId, Rating, Title ?? "", Text ?? "");
}

/// <summary>Typed client for <c>GET /api/reviews/feed?afterId=&amp;take=</c> on the Storefront (reviews ordered by id).</summary>
public sealed class StorefrontReviewFeed(HttpClient http)
{
    public async Task<IReadOnlyList<FeedReview>> GetPageAsync(int afterId, int take, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<FeedReview>>(
            string.Create(CultureInfo.InvariantCulture, $"/api/reviews/feed?afterId={afterId}&take={take}"), cancellationToken) ?? [];
}
