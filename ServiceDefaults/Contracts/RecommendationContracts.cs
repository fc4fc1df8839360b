namespace EcomGo.ServiceDefaults.Contracts;

// The Recommender's HTTP contract, shared with its callers (Storefront, ChatAgent) so both sides use the same types.

/// <summary>One recommended product: its id, a score (higher is better, comparable only within one list) and why it was chosen.</summary>
public sealed record RecommendedItem(int ProductId, double Score, string Reason);

/// <summary>
/// A ranked list. <see cref="Method"/> says what produced it ("hybrid", "popular", "similar", "cold-start", "search"),
/// <see cref="Model"/> which embedding model the vectors came from.
/// </summary>
public sealed record RecommendationList(IReadOnlyList<RecommendedItem> Items, string Method, string Model);

/// <summary>
/// A newcomer's start: a handful of products they like and/or a sentence about their interests (at least one of the two).
/// </summary>
public sealed record ColdStartRequest(IReadOnlyList<int>? ProductIds, string? Text, int? Count = null);

/// <summary>Where the Recommender's product index stands (the dashboard shows the same as metrics).</summary>
public sealed record ProductIndexStatus(
    string Model, int Dimensions, int IndexedProducts, int CatalogProducts, bool FirstPassCompleted,
    DateTimeOffset? LastPassCompletedAt, int LastPassEmbedded, string? LastError);
