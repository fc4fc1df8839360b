namespace EcomGo.ServiceDefaults.Contracts;

/// <summary>One product as the Storefront's catalog feed serves it to the Recommender (id order, text fields for embedding).</summary>
public sealed record CatalogFeedItem(
    int Id, string Name, int CategoryId, string CategoryName, string ManufacturerName, string Description,
    IReadOnlyDictionary<string, string> Specs, int Stock);
