using System.ComponentModel.DataAnnotations;
using EcomGo.Storefront.Data;

namespace EcomGo.Storefront.Services;

/// <summary>Who is shopping: a signed-in user, or an anonymous browser session (linked to the user on sign-in).</summary>
public sealed record ShopperIdentity(string? UserId, string? SessionId)
{
    public string Key => UserId is not null ? $"user:{UserId}" : $"session:{SessionId}";
    public bool IsSignedIn => UserId is not null;
}

public sealed record CartLine(int ProductId, string ProductName, string ImageUrl, PriceInfo UnitPrice, int Quantity, int Stock)
{
    public decimal LineTotal => UnitPrice.Price * Quantity;
}

public sealed record CartView(IReadOnlyList<CartLine> Lines)
{
    public decimal Total => Lines.Sum(l => l.LineTotal);
    public int ItemCount => Lines.Sum(l => l.Quantity);
}

public sealed class CheckoutInput
{
    [Required(ErrorMessage = "Enter the name to ship to."), PlainText]
    [StringLength(100, MinimumLength = 2, ErrorMessage = "The name must be 2 to 100 characters.")]
    [Display(Name = "Name")]
    public string ShippingName { get; set; } = "";

    [Required(ErrorMessage = "Enter the shipping address."), PlainText]
    [StringLength(300, MinimumLength = 5, ErrorMessage = "The address must be 5 to 300 characters.")]
    [Display(Name = "Address")]
    public string ShippingAddress { get; set; } = "";
}

public sealed record OrderView(int Id, DateTimeOffset PlacedAt, OrderStatus Status, decimal Total, string ShippingName,
    string ShippingAddress, IReadOnlyList<OrderLineView> Lines);

public sealed record OrderLineView(int ProductId, string ProductName, decimal UnitPrice, int Quantity);

public sealed class ReviewInput
{
    public const int MaxTextLength = 2000;

    [Range(1, 5, ErrorMessage = "Choose a rating from 1 to 5 stars.")]
    public int Rating { get; set; }

    [Required(ErrorMessage = "Give your review a title."), StringLength(120, MinimumLength = 3), PlainText]
    public string Title { get; set; } = "";

    [Required(ErrorMessage = "Write a few words about the product."), StringLength(MaxTextLength, MinimumLength = 10), PlainText]
    public string Text { get; set; } = "";
}

/// <summary>Sentiment as shown to shoppers; Pending until the ReviewAnalyzer has classified the review.</summary>
public enum ReviewSentiment { Pending, Positive, Neutral, Negative }

public sealed record ReviewView(int Id, int ProductId, string AuthorName, int Rating, string Title, string Text,
    DateTimeOffset CreatedAt, ReviewSentiment Sentiment, bool IsOwn);

public sealed record ReviewGroup(ReviewSentiment Sentiment, IReadOnlyList<ReviewView> Reviews)
{
    public int Count => Reviews.Count;
}

/// <summary>A product's reviews grouped by sentiment (Positive, Neutral, Negative, then Pending), with counts.</summary>
public sealed record ProductReviews(int ProductId, IReadOnlyList<ReviewGroup> Groups, double? AverageRating, int TotalCount,
    string? OpinionSummary)
{
    /// <summary>Aspects buyers praise / criticise (from the ReviewAnalyzer's opinion), most mentioned first.</summary>
    public IReadOnlyList<string> Praised { get; init; } = [];
    public IReadOnlyList<string> Criticised { get; init; } = [];
}

/// <summary>Thrown by services for bad input; the API maps it to a 400 problem, pages show the messages inline.</summary>
/// <summary>The request is valid but clashes with what is stored (a second review of the same product): 409.</summary>
public sealed class ShopConflictException(string message) : Exception(message);

public sealed class ShopValidationException(IDictionary<string, string[]> errors)
    : Exception("One or more validation errors occurred.")
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static ShopValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
