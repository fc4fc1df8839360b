using System.Security.Claims;
using EcomGo.Storefront.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Components.Account;

/// <summary>Adds the shopper's display name (and roles, e.g. staff) to the auth cookie so pages need no database call for them.</summary>
public sealed class ShopUserClaimsPrincipalFactory(UserManager<ShopUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ShopUser, IdentityRole>(userManager, roleManager, options)
{
    public const string DisplayNameClaim = "display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ShopUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        return identity;
    }
}
