using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services;

/// <summary>
/// Reviews and their sentiment. Labels and opinion summaries are the Storefront's own copies of the ReviewAnalyzer's
/// results (kept from its events by <c>ReviewAnalyzedConsumer</c> / <c>ProductOpinionUpdatedConsumer</c>): a page never
/// calls the ReviewAnalyzer, and a review without an analysis yet is pending.
/// </summary>
public sealed class ReviewService(StorefrontDbContext db, OutboxSignal<StorefrontDbContext> outboxSignal, TimeProvider time, PageCache pageCache)
    : IReviewService
{
    private static readonly ReviewSentiment[] s_groupOrder =
        [ReviewSentiment.Positive, ReviewSentiment.Neutral, ReviewSentiment.Negative, ReviewSentiment.Pending];

    public async Task<ProductReviews> GetProductReviewsAsync(int productId, string? currentUserId, CancellationToken cancellationToken = default)
    {
        var reviews = await db.Reviews.AsNoTracking()
            .Where(r => r.ProductId == productId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .ToListAsync(cancellationToken);
        var labels = await db.ReviewAnalyses.AsNoTracking()
            .Where(a => a.ProductId == productId)
            .Select(a => new { a.ReviewId, a.Label })
            .ToDictionaryAsync(a => a.ReviewId, a => ParseLabel(a.Label), cancellationToken);
        var opinion = await db.ProductOpinions.AsNoTracking().FirstOrDefaultAsync(o => o.ProductId == productId, cancellationToken);

        var views = reviews.Select(r => ToView(r, labels.GetValueOrDefault(r.Id, ReviewSentiment.Pending), currentUserId)).ToList();
        var groups = s_groupOrder
            .Select(s => new ReviewGroup(s, [.. views.Where(v => v.Sentiment == s)]))
            .ToList();
        double? average = reviews.Count == 0 ? null : Math.Round(reviews.Average(r => r.Rating), 2);
        var hasOpinion = opinion is not null && reviews.Count > 0 && opinion.PositiveCount + opinion.NeutralCount + opinion.NegativeCount > 0
                         && !string.IsNullOrWhiteSpace(opinion.Summary);
        return new ProductReviews(productId, groups, average, reviews.Count, hasOpinion ? opinion!.Summary : null)
        {
            Praised = hasOpinion ? opinion!.Praised : [],
            Criticised = hasOpinion ? opinion!.Criticised : [],
        };
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

        // One review per shopper and product: a second one would skew the average; they can delete and rewrite. The unique
        // index decides races (two posts at once); this check only answers the common case without a failed insert.
        if (await db.Reviews.AnyAsync(r => r.ProductId == productId && r.UserId == userId, cancellationToken))
        {
            throw new ShopConflictException(AlreadyReviewed);
        }

        var now = time.GetUtcNow();
        Review review;
        try
        {
            review = await InsertAsync(shopper, userId, authorName, productId, input.Rating, title, text, now, cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            throw new ShopConflictException(AlreadyReviewed);
        }

        outboxSignal.Notify();
        await pageCache.ProductsChangedAsync([productId], CancellationToken.None);
        return ToView(review, ReviewSentiment.Pending, userId);
    }

    private const string AlreadyReviewed = "You have already reviewed this product. To change it, delete your review under My reviews and write a new one.";

    private Task<Review> InsertAsync(ShopperIdentity shopper, string userId, string authorName, int productId, int rating, string title, string text,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var entity = new Review
            {
                ProductId = productId,
                UserId = userId,
                AuthorName = string.IsNullOrWhiteSpace(authorName) ? "Shopper" : authorName.Trim(),
                Rating = rating,
                Title = title,
                Text = text,
                CreatedAt = now,
            };
            db.Reviews.Add(entity);
            // The rating is also a taste signal for the Recommender.
            await db.SaveInteractionsWithEventsAsync([InteractionRecorder.Create(shopper, productId, InteractionKind.Rating, rating, now)], now, ct);
            db.AddEvent(EventTypes.ReviewCreated,
                new ReviewCreatedV1(entity.Id, entity.ProductId, entity.UserId, entity.Rating, entity.Title, entity.Text, entity.CreatedAt), now);
            return entity;
        }, cancellationToken);

    public async Task<IReadOnlyList<ReviewView>> GetUserReviewsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var reviews = await db.Reviews.AsNoTracking()
            .Where(r => r.UserId == userId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .ToListAsync(cancellationToken);
        var ids = reviews.Select(r => r.Id).ToArray();
        var labels = await db.ReviewAnalyses.AsNoTracking()
            .Where(a => ids.Contains(a.ReviewId))
            .Select(a => new { a.ReviewId, a.Label })
            .ToDictionaryAsync(a => a.ReviewId, a => ParseLabel(a.Label), cancellationToken);
        return [.. reviews.Select(r => ToView(r, labels.GetValueOrDefault(r.Id, ReviewSentiment.Pending), userId))];
    }

    /// <summary>Deletes the review and its analysis copy, and tells the ReviewAnalyzer (review-deleted.v1) in the same transaction.</summary>
    public async Task<bool> DeleteAsync(string userId, int reviewId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var productId = 0;
        var deleted = await db.InTransactionAsync(async ct =>
        {
            var review = await db.Reviews.AsNoTracking().Where(r => r.Id == reviewId && r.UserId == userId)
                .Select(r => new { r.Id, r.ProductId }).FirstOrDefaultAsync(ct);
            if (review is null)
            {
                return false;
            }

            await db.ReviewAnalyses.Where(a => a.ReviewId == review.Id).ExecuteDeleteAsync(ct);
            if (await db.Reviews.Where(r => r.Id == review.Id).ExecuteDeleteAsync(ct) == 0)
            {
                return false;
            }

            db.AddEvent(EventTypes.ReviewDeleted, new ReviewDeletedV1(review.Id, review.ProductId, now), now);
            productId = review.ProductId;
            return true;
        }, cancellationToken);
        if (deleted)
        {
            outboxSignal.Notify();
            await pageCache.ProductsChangedAsync([productId], CancellationToken.None);
        }

        return deleted;
    }

    private static ReviewSentiment ParseLabel(string label) => label switch
    {
        "positive" => ReviewSentiment.Positive,
        "neutral" => ReviewSentiment.Neutral,
        "negative" => ReviewSentiment.Negative,
        _ => ReviewSentiment.Pending,
    };

    private static string Normalize(string? value) => (value ?? "").Replace("\r\n", "\n").Trim();

    private static ReviewView ToView(Review r, ReviewSentiment sentiment, string? currentUserId) =>
        new(r.Id, r.ProductId, r.AuthorName, r.Rating, r.Title, r.Text, r.CreatedAt, sentiment,
            currentUserId is not null && r.UserId == currentUserId);
}
