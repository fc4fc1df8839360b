using EcomGo.Storefront.Data;

namespace EcomGo.Storefront.Services;

public interface ICatalogService
{
    Task<PagedResult<ProductSummary>> SearchAsync(ProductQuery query, CancellationToken cancellationToken = default);
    Task<ProductDetails?> GetProductAsync(int id, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ProductSummary>> GetProductsAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<CategoryInfo>> GetCategoriesAsync(CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ManufacturerInfo>> GetManufacturersAsync(string? search = null, CancellationToken cancellationToken = default);
    Task<ManufacturerDetails?> GetManufacturerAsync(int id, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<PromotionInfo>> GetActivePromotionsAsync(CancellationToken cancellationToken = default);
}

public interface IReviewService
{
    Task<ProductReviews> GetProductReviewsAsync(int productId, string? currentUserId, CancellationToken cancellationToken = default);
    /// <summary>Validates, saves the review and its review-created event in one transaction. Throws <see cref="ShopValidationException"/>.</summary>
    Task<ReviewView> CreateAsync(ShopperIdentity shopper, string authorName, int productId, ReviewInput input, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ReviewView>> GetUserReviewsAsync(string userId, CancellationToken cancellationToken = default);
    /// <summary>False when the review does not exist or belongs to someone else.</summary>
    Task<bool> DeleteAsync(string userId, int reviewId, CancellationToken cancellationToken = default);
}

public interface ICartService
{
    Task<CartView> GetCartAsync(ShopperIdentity shopper, CancellationToken cancellationToken = default);
    Task<CartView> AddAsync(ShopperIdentity shopper, int productId, int quantity, CancellationToken cancellationToken = default);
    Task<CartView> SetQuantityAsync(ShopperIdentity shopper, int productId, int quantity, CancellationToken cancellationToken = default);
    Task<CartView> RemoveAsync(ShopperIdentity shopper, int productId, CancellationToken cancellationToken = default);
    /// <summary>On sign-in: the anonymous session's cart and interactions become the user's.</summary>
    Task LinkSessionAsync(string sessionId, string userId, CancellationToken cancellationToken = default);
}

public interface IOrderService
{
    /// <summary>Places an order from the user's cart at current prices, records purchases, empties the cart.</summary>
    Task<OrderView> CheckoutAsync(string userId, CheckoutInput input, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<OrderView>> GetOrdersAsync(string userId, CancellationToken cancellationToken = default);
    /// <summary>Null when the order does not exist or belongs to another user.</summary>
    Task<OrderView?> GetOrderAsync(string userId, int orderId, CancellationToken cancellationToken = default);
}

public interface IInteractionRecorder
{
    /// <summary>Stores the interaction and its interaction-recorded event in one transaction.</summary>
    Task RecordAsync(ShopperIdentity shopper, int productId, InteractionKind kind, int value, CancellationToken cancellationToken = default);
}

/// <summary>Recommendations from the Recommender, with a Storefront-side fallback when it is unavailable.</summary>
public interface IRecommendationService
{
    Task<RecommendationShelf> GetForShopperAsync(ShopperIdentity shopper, int count, CancellationToken cancellationToken = default);
    Task<RecommendationShelf> GetPopularAsync(int count, CancellationToken cancellationToken = default);
    Task<RecommendationShelf> GetSimilarAsync(int productId, int count, CancellationToken cancellationToken = default);
    /// <summary>A newcomer's start: a few products they like and/or a sentence about what they like.</summary>
    Task<RecommendationShelf> GetColdStartAsync(IReadOnlyList<int> productIds, string? text, int count, CancellationToken cancellationToken = default);
    /// <summary>Products close in meaning to a search text (the Recommender's semantic search); empty when it does not answer.</summary>
    Task<RecommendationShelf> GetSemanticMatchesAsync(string text, int count, IReadOnlyCollection<int> exclude, CancellationToken cancellationToken = default);
}

/// <summary>Who chose a recommended product: the Recommender, or the Storefront's own rules while it is unavailable.</summary>
public enum RecommendationSource { Recommender, Fallback }

public sealed record RecommendedProduct(ProductSummary Product, string? Reason, RecommendationSource Source);

/// <summary>A shelf of recommendations; <see cref="Source"/> is the Recommender's when it supplied any of them.</summary>
public sealed record RecommendationShelf(IReadOnlyList<RecommendedProduct> Items, RecommendationSource Source, string? Method)
{
    public int Count => Items.Count;

    /// <summary>The value of the <c>data-recommendation-source</c> attribute pages put on the list.</summary>
    public string SourceName => Source == RecommendationSource.Recommender ? "recommender" : "fallback";
}
