using Microsoft.AspNetCore.Identity;

namespace EcomGo.Storefront.Data;

public sealed class ShopUser : IdentityUser
{
    public required string DisplayName { get; set; }

    /// <summary>
    /// Opted in to recommendation emails (weekly digest, chat follow-ups). New accounts start opted out (consent first);
    /// the seeded demo shoppers start opted in, since their addresses only ever reach the local mail catcher.
    /// </summary>
    public bool RecommendationEmails { get; set; }
}
