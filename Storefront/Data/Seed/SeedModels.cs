namespace EcomGo.Storefront.Data.Seed;

// Plain, storage-agnostic seed records. The Storefront maps these into EF entities;
// nothing here knows about EF Core so the generator can be compiled and checked on its own.

/// <summary>Everything the demo shop needs, produced by <see cref="SeedCatalog.Create"/>.</summary>
/// <remarks>
/// All dates are relative offsets (days ago / days from now) measured from <see cref="ReferenceDate"/>.
/// Callers that want a "live" shop map offsets onto <c>DateTime.UtcNow</c> instead of the reference date.
/// </remarks>
public sealed record SeedData(
    IReadOnlyList<SeedCategory> Categories,
    IReadOnlyList<SeedManufacturer> Manufacturers,
    IReadOnlyList<SeedProduct> Products,
    IReadOnlyList<SeedPromotion> Promotions,
    IReadOnlyList<SeedShopper> Shoppers,
    IReadOnlyList<SeedReview> Reviews,
    IReadOnlyList<SeedInteraction> Interactions)
{
    /// <summary>The fixed "today" the relative offsets were generated against.</summary>
    public static readonly DateTime ReferenceDate = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The single documented password shared by every demo shopper.</summary>
    public const string DemoPassword = "Demo!2345";

    /// <summary>Converts a "days ago" offset into an absolute UTC timestamp relative to <paramref name="now"/>.</summary>
    public static DateTime DaysAgoToDate(int daysAgo, DateTime now) => now.AddDays(-daysAgo);

    /// <summary>Converts a "days from now" offset (negative = past) into an absolute UTC timestamp.</summary>
    public static DateTime DaysFromNowToDate(int daysFromNow, DateTime now) => now.AddDays(daysFromNow);

    // Structural equality so "Create() twice yields equal data" can be asserted with a plain Equals.
    public bool Equals(SeedData? other) =>
        other is not null
        && Categories.SequenceEqual(other.Categories)
        && Manufacturers.SequenceEqual(other.Manufacturers)
        && Products.SequenceEqual(other.Products)
        && Promotions.SequenceEqual(other.Promotions)
        && Shoppers.SequenceEqual(other.Shoppers)
        && Reviews.SequenceEqual(other.Reviews)
        && Interactions.SequenceEqual(other.Interactions);

    public override int GetHashCode() =>
        HashCode.Combine(Categories.Count, Manufacturers.Count, Products.Count, Promotions.Count, Shoppers.Count, Reviews.Count, Interactions.Count);
}

public sealed record SeedCategory(int Id, string Name, string Slug, string Description);

public sealed record SeedManufacturer(int Id, string Name, string Country, int Founded, string Description, string Website);

public sealed record SeedProduct(
    int Id,
    string Name,
    string Description,
    decimal Price,
    decimal DiscountPercent,
    int Stock,
    int CategoryId,
    int ManufacturerId,
    IReadOnlyDictionary<string, string> Specs)
{
    // Specs is a dictionary, so compare it by content rather than by reference.
    public bool Equals(SeedProduct? other) =>
        other is not null
        && Id == other.Id && Name == other.Name && Description == other.Description
        && Price == other.Price && DiscountPercent == other.DiscountPercent && Stock == other.Stock
        && CategoryId == other.CategoryId && ManufacturerId == other.ManufacturerId
        && Specs.OrderBy(s => s.Key, StringComparer.Ordinal).SequenceEqual(other.Specs.OrderBy(s => s.Key, StringComparer.Ordinal));

    public override int GetHashCode() => HashCode.Combine(Id, Name, Price);
}

public enum PromotionTarget { Product, Category, Manufacturer }

public enum DiscountKind { Percentage, FixedAmount }

/// <summary>A promotion window expressed relative to "now": <c>StartsInDays &lt;= 0 &lt; EndsInDays</c> means active.</summary>
public sealed record SeedPromotion(
    int Id,
    string Name,
    string Description,
    DiscountKind Kind,
    decimal Amount,
    PromotionTarget Target,
    int TargetId,
    int StartsInDays,
    int EndsInDays);

public sealed record SeedShopper(int Id, string UserName, string DisplayName, string Password, string TasteSummary);

public enum ExpectedSentiment { Positive, Neutral, Negative }

/// <summary>A product review. <see cref="Sentiment"/> is the ground truth for testing a sentiment classifier.</summary>
public sealed record SeedReview(
    int Id,
    int ProductId,
    int? ShopperId,
    string AuthorName,
    int Rating,
    string Title,
    string Text,
    ExpectedSentiment Sentiment,
    int DaysAgo);

public enum InteractionKind { View, Cart, Purchase, Rating }

/// <summary>One event in a shopper's history. Value: rating 1-5 for Rating, quantity for Cart/Purchase, 1 for View.</summary>
public sealed record SeedInteraction(int ShopperId, int ProductId, InteractionKind Kind, int Value, int DaysAgo);
