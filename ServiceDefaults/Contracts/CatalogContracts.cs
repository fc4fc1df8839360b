namespace EcomGo.ServiceDefaults.Contracts;

// The Storefront's public catalog API (/api/catalog/...): its pages render these same records, and the ChatAgent's
// tools read them, so a change to the catalog's shape breaks the ChatAgent's build rather than its answers.

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    public int PageCount => PageSize == 0 ? 0 : (TotalCount + PageSize - 1) / PageSize;
}

/// <summary>List price, the price a shopper pays now, and what made the difference.</summary>
public sealed record PriceInfo(decimal ListPrice, decimal Price, decimal Saving, string? DiscountLabel, DateTimeOffset? DiscountEndsAt)
{
    public bool IsDiscounted => Saving > 0;
}

public sealed record ProductSummary(
    int Id, string Name, int CategoryId, string CategoryName, int ManufacturerId, string ManufacturerName,
    PriceInfo Price, int Stock, double? AverageRating, int ReviewCount, string ImageUrl);

public sealed record ProductDetails(
    ProductSummary Summary, string Description, IReadOnlyDictionary<string, string> Specs, ManufacturerInfo Manufacturer);

public sealed record CategoryInfo(int Id, string Name, string Slug, string Description, int ProductCount);

public sealed record ManufacturerInfo(int Id, string Name, string Country, int Founded, string Description, string Website, int ProductCount);

public sealed record ManufacturerDetails(ManufacturerInfo Manufacturer, IReadOnlyList<ProductSummary> Products);
