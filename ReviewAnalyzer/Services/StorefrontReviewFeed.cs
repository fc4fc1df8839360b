using System.Globalization;
using EcomGo.ServiceDefaults.Contracts;

namespace EcomGo.ReviewAnalyzer.Services;

public static class ReviewFeedItemExtensions
{
    // The feed's title and text are required on the Storefront; a null still must not crash the sweep.
    public static ReviewInput ToInput(this ReviewFeedItem review) => new(review.Id, review.ProductId, review.Rating, review.Title ?? "", review.Text ?? "");
}

/// <summary>Typed client for <c>GET /api/reviews/feed?afterId=&amp;take=</c> on the Storefront (reviews ordered by id).</summary>
public sealed class StorefrontReviewFeed(HttpClient http)
{
    public async Task<IReadOnlyList<ReviewFeedItem>> GetPageAsync(int afterId, int take, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<ReviewFeedItem>>(
            string.Create(CultureInfo.InvariantCulture, $"/api/reviews/feed?afterId={afterId}&take={take}"), cancellationToken) ?? [];
}
