using EcomGo.Storefront.Services;

namespace EcomGo.Storefront.Components.Account;

internal static class AccountSession
{
    /// <summary>After sign-in: the anonymous session's cart and interactions become the user's.</summary>
    public static async Task LinkAsync(HttpContext context, ICartService carts, string userId, ILogger logger)
    {
        var sessionId = context.GetShopperSessionId();
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }

        try
        {
            await carts.LinkSessionAsync(sessionId, userId, context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Signing in must not fail because the anonymous cart could not be merged.
            logger.LogWarning(e, "Could not link session cart to user {UserId}", userId);
        }
    }
}
