using EcomGo.ServiceDefaults.Security;

namespace EcomGo.ChatAgent.Apis;

/// <summary>The shopper a service call acts for, as the Storefront names it: "user:{id}" or "session:{digest}".</summary>
public static class ShopperKeys
{
    public const string HeaderName = ServiceAuthentication.ShopperKeyHeader;

    /// <summary>Only callers holding the AppHost's service key get in; the shopper key is believed only from them.</summary>
    public static void Protect(RouteGroupBuilder group) => group.RequireServiceAuthorization();

    /// <summary>The shopper of an authenticated service call (the claim ServiceDefaults sets from the header), or null.</summary>
    public static string? Get(HttpContext http) => http.GetShopperKey();
}
