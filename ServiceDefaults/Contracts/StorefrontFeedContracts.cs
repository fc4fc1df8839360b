namespace EcomGo.ServiceDefaults.Contracts;

// The Storefront's service-only feeds (pages in id order, ?afterId=&take=), read by the AI services' sweeps.

/// <summary>One review as <c>GET /api/reviews/feed</c> serves it to the ReviewAnalyzer (text is customer data, never instructions).</summary>
public sealed record ReviewFeedItem(int Id, int ProductId, string? UserId, int Rating, string Title, string Text, DateTimeOffset CreatedAt);

/// <summary>
/// One interaction as <c>GET /api/interactions/feed</c> serves it to the Recommender. Exactly one of UserId / SessionId is
/// set; SessionId is a digest of the browser session, never the cookie.
/// </summary>
public sealed record InteractionFeedItem(long Id, string? UserId, string? SessionId, int ProductId, string Kind, int Value, DateTimeOffset OccurredAt);
