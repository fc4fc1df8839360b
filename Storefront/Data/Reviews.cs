namespace EcomGo.Storefront.Data;

/// <summary>A shopper's review. Saved first; its sentiment comes later from the ReviewAnalyzer.</summary>
public sealed class Review
{
    public int Id { get; set; }
    public int ProductId { get; set; }
    public Product? Product { get; set; }
    /// <summary>Null for seeded reviews by customers without an account.</summary>
    public string? UserId { get; set; }
    public required string AuthorName { get; set; }
    public int Rating { get; set; }
    public required string Title { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
