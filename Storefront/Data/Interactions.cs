namespace EcomGo.Storefront.Data;

public enum InteractionKind { View, Cart, Purchase, Rating, EmailClick }

public static class InteractionKinds
{
    /// <summary>The kind's name on the wire (events, feeds): "view", "cart", "purchase", "rating", "email-click".</summary>
    public static string WireName(this InteractionKind kind) => kind == InteractionKind.EmailClick ? "email-click" : kind.ToString().ToLowerInvariant();
}

/// <summary>Something a shopper did with a product; the Recommender builds taste profiles from these.</summary>
public sealed class Interaction
{
    public long Id { get; set; }
    public string? UserId { get; set; }
    /// <summary>Anonymous shoppers' browser session; linked to <see cref="UserId"/> when they sign in.</summary>
    public string? SessionId { get; set; }
    public int ProductId { get; set; }
    public InteractionKind Kind { get; set; }
    public int Value { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}
