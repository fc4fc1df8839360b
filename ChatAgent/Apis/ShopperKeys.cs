using System.Text.RegularExpressions;

namespace EcomGo.ChatAgent.Apis;

/// <summary>The shopper a service call acts for, as the Storefront names it: "user:{id}" or "session:{digest}".</summary>
public static partial class ShopperKeys
{
    public const string HeaderName = "X-Shopper-Key";

    /// <summary>Only service-authenticated callers may name a shopper.</summary>
    public static void Protect(RouteGroupBuilder group)
    {
        _ = group; // TODO(security): group.RequireServiceAuthorization() once ServiceDefaults.Security lands on main.
    }

    /// <summary>The well-formed shopper key of the call, or null.</summary>
    public static string? Get(HttpContext http)
    {
        var key = http.Request.Headers[HeaderName].ToString();
        return key.Length is > 0 and <= 128 && WellFormed().IsMatch(key) ? key : null;
    }

    [GeneratedRegex(@"^(user:[A-Za-z0-9-]{1,100}|session:[0-9a-f]{32})$")]
    private static partial Regex WellFormed();
}
