using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services;

public sealed class ReviewService(
    StorefrontDbContext db, ReviewAnalyzerClient analyzer, OutboxSignal outboxSignal, TimeProvider time) : IReviewService
{
    private static readonly ReviewSentiment[] s_groupOrder =
        [ReviewSentiment.Positive, ReviewSentiment.Neutral, ReviewSentiment.Negative, ReviewSentiment.Pending];

    public async Task<ProductReviews> GetProductReviewsAsync(int productId, string? currentUserId, CancellationToken cancellationToken = default)
    {
        // The labels and summary come from another service: ask it while the database query runs.
        var sentimentsTask = analyzer.GetSentimentsAsync(productId, cancellationToken);
        var opinionTask = analyzer.GetOpinionAsync(productId, cancellationToken);

        var reviews = await db.Reviews.AsNoTracking()
            .Where(r => r.ProductId == productId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .ToListAsync(cancellationToken);
        var sentiments = await sentimentsTask;
        var opinion = await opinionTask;

        var views = reviews.Select(r => ToView(r, sentiments.GetValueOrDefault(r.Id, ReviewSentiment.Pending), currentUserId)).ToList();
        var groups = s_groupOrder
            .Select(s => new ReviewGroup(s, [.. views.Where(v => v.Sentiment == s)]))
            .ToList();
        double? average = reviews.Count == 0 ? null : Math.Round(reviews.Average(r => r.Rating), 2);
        return new ProductReviews(productId, groups, average, reviews.Count, string.IsNullOrWhiteSpace(opinion?.Summary) ? null : opinion.Summary);
    }

    public async Task<ReviewView> CreateAsync(ShopperIdentity shopper, string authorName, int productId, ReviewInput input,
        CancellationToken cancellationToken = default)
    {
        if (shopper.UserId is not { } userId)
        {
            throw ShopValidationException.For("user", "Sign in to write a review.");
        }

        var title = Normalize(input.Title);
        var text = Normalize(input.Text);
        ShopValidation.Validate(new ReviewInput { Rating = input.Rating, Title = title, Text = text });

        if (!await db.Products.AnyAsync(p => p.Id == productId, cancellationToken))
        {
            throw new ProductNotFoundException(productId);
        }

        // One review per shopper and product: a second one would skew the average; they can delete and rewrite.
        if (await db.Reviews.AnyAsync(r => r.ProductId == productId && r.UserId == userId, cancellationToken))
        {
            throw ShopValidationException.For("productId", "You have already reviewed this product.");
        }

        var now = time.GetUtcNow();
        var review = await db.InTransactionAsync(async ct =>
        {
            var entity = new Review
            {
                ProductId = productId,
                UserId = userId,
                AuthorName = string.IsNullOrWhiteSpace(authorName) ? "Shopper" : authorName.Trim(),
                Rating = input.Rating,
                Title = title,
                Text = text,
                CreatedAt = now,
            };
            db.Reviews.Add(entity);
            // The rating is also a taste signal for the Recommender.
            await db.SaveInteractionsWithEventsAsync([InteractionRecorder.Create(shopper, productId, InteractionKind.Rating, input.Rating, now)], now, ct);
            db.AddEvent(EventTypes.ReviewCreated,
                new ReviewCreatedV1(entity.Id, entity.ProductId, entity.UserId, entity.Rating, entity.Title, entity.Text, entity.CreatedAt), now);
            return entity;
        }, cancellationToken);
        outboxSignal.Notify();
        return ToView(review, ReviewSentiment.Pending, userId);
    }

    public async Task<IReadOnlyList<ReviewView>> GetUserReviewsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var reviews = await db.Reviews.AsNoTracking()
            .Where(r => r.UserId == userId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .ToListAsync(cancellationToken);
        return [.. reviews.Select(r => ToView(r, ReviewSentiment.Pending, userId))];
    }

    public async Task<bool> DeleteAsync(string userId, int reviewId, CancellationToken cancellationToken = default) =>
        await db.Reviews.Where(r => r.Id == reviewId && r.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;

    private static string Normalize(string? value) => (value ?? "").Replace("\r\n", "\n").Trim();

    private static ReviewView ToView(Review r, ReviewSentiment sentiment, string? currentUserId) =>
        new(r.Id, r.ProductId, r.AuthorName, r.Rating, r.Title, r.Text, r.CreatedAt, sentiment,
            currentUserId is not null && r.UserId == currentUserId);
}
