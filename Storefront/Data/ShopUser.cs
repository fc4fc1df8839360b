using Microsoft.AspNetCore.Identity;

namespace EcomGo.Storefront.Data;

public sealed class ShopUser : IdentityUser
{
    public required string DisplayName { get; set; }
}
