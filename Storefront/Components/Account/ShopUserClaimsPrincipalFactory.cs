using System.Security.Claims;
using EcomGo.Storefront.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Components.Account;

/// <summary>Adds the shopper's display name to the auth cookie so the header can greet them without a database call.</summary>
public sealed class ShopUserClaimsPrincipalFactory(UserManager<ShopUser> userManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ShopUser>(userManager, options)
{
    public const string DisplayNameClaim = "display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ShopUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        return identity;
    }
}
