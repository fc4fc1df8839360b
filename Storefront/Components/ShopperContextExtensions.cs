using System.Security.Claims;
using EcomGo.Storefront.Services;

namespace EcomGo.Storefront.Components;

/// <summary>Who is shopping in the current request, as the pages see it.</summary>
public static class ShopperContextExtensions
{
    public static ShopperIdentity GetShopperIdentity(this HttpContext context) =>
        (context.RequestServices.GetService<IShopperContext>() ?? new ShopperContext()).GetShopper(context);

    /// <summary>The anonymous session's id (a digest of the session cookie), whether or not a user is signed in.</summary>
    public static string? GetShopperSessionId(this HttpContext context) =>
        ShopperSessionMiddleware.GetSessionToken(context) is { } token ? ShopperContext.ToSessionId(token) : null;

    public static string? GetUserId(this HttpContext context) => context.User.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(Account.ShopUserClaimsPrincipalFactory.DisplayNameClaim) ?? user.Identity?.Name ?? "shopper";
}
