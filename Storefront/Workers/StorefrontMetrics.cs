namespace EcomGo.Storefront.Workers;

/// <summary>The Storefront's meter (ServiceDefaults exports every EcomGo.* meter): outbox and product-view metrics.</summary>
public static class StorefrontMetrics
{
    public const string MeterName = "EcomGo.Storefront";
}
