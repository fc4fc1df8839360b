using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace EcomGo.Storefront.Services;

/// <summary>Resolves who is shopping in a request: the signed-in user, else the anonymous browser session.</summary>
public interface IShopperContext
{
    ShopperIdentity GetShopper(HttpContext httpContext);
}

public sealed class ShopperContext : IShopperContext
{
    public ShopperIdentity GetShopper(HttpContext httpContext)
    {
        var user = httpContext.User;
        if (user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } userId)
        {
            return new ShopperIdentity(userId, null);
        }

        var token = ShopperSessionMiddleware.GetSessionToken(httpContext);
        return new ShopperIdentity(null, token is null ? null : ToSessionId(token));
    }

    /// <summary>
    /// The cookie value is a bearer secret (whoever holds it owns the anonymous cart). Everything stored or shared
    /// (cart keys, interactions, events, the interactions feed, recommender keys) uses a one-way digest of it instead,
    /// so reading a feed never lets anyone impersonate a visitor.
    /// </summary>
    public static string ToSessionId(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..32];
}

/// <summary>Gives every browser an anonymous session cookie so carts and views work before sign-in.</summary>
public sealed class ShopperSessionMiddleware(RequestDelegate next)
{
    public const string CookieName = "ecomgo_session";
    private const string ItemKey = "EcomGo.ShopperSession";

    public Task InvokeAsync(HttpContext context)
    {
        var token = context.Request.Cookies[CookieName];
        if (!IsWellFormed(token))
        {
            token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Response.Cookies.Append(CookieName, token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                IsEssential = true, // needed for the cart to work at all, not tracking
                MaxAge = TimeSpan.FromDays(30),
                Path = "/",
            });
        }

        // The first request has no cookie yet: services read the token from here.
        context.Items[ItemKey] = token;
        return next(context);
    }

    internal static string? GetSessionToken(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is string token ? token
        : context.Request.Cookies[CookieName] is { } cookie && IsWellFormed(cookie) ? cookie
        : null;

    // Only our own 32-hex-digit tokens are accepted, so a client cannot pick arbitrary (or huge) keys.
    private static bool IsWellFormed(string? token) => token is { Length: 32 } && token.All(char.IsAsciiHexDigitLower);
}
