namespace EcomGo.Storefront.Components.Account;

/// <summary>Shop staff (the email report); the seeded staff account is <see cref="DemoEmail"/> with the demo password.</summary>
public static class StaffRole
{
    public const string Name = "Staff";
    public const string DemoEmail = "staff@ecomgo.local";
}
