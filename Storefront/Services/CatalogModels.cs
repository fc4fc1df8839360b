using EcomGo.Storefront.Data;

namespace EcomGo.Storefront.Services;

// Read models shared by the catalog HTTP API and the Blazor pages. Those other services read too (products, prices,
// categories, manufacturers, pages) are wire contracts in ServiceDefaults/Contracts/CatalogContracts.cs.

public enum ProductSort { Relevance, PriceAscending, PriceDescending, Name, Newest, TopRated }

public sealed record ProductQuery(
    string? Text = null,
    int? CategoryId = null,
    int? ManufacturerId = null,
    decimal? MinPrice = null,
    decimal? MaxPrice = null,
    bool OnPromotion = false,
    ProductSort Sort = ProductSort.Relevance,
    int Page = 1,
    int PageSize = 24);

public sealed record PromotionInfo(
    int Id, string Name, string Description, DiscountKind Kind, decimal Amount, PromotionTarget Target, int TargetId,
    string TargetName, DateTimeOffset StartsAt, DateTimeOffset EndsAt);
