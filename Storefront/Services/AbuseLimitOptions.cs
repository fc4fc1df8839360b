namespace EcomGo.Storefront.Services;

/// <summary>The shopper actions that a script could repeat to abuse the shop; each has its own limits.</summary>
public enum AbuseAction
{
    SignIn,
    Review,
    AddToCart,
    Checkout,
}

/// <summary>How often one shopper, and one client address, may repeat an action within a fixed window.</summary>
public sealed class AbuseLimit
{
    /// <summary>Per signed-in user, else per anonymous session.</summary>
    public int PerShopper { get; set; }

    /// <summary>Per client IP address: catches a script that drops its cookies to get a fresh session each time.</summary>
    public int PerIp { get; set; }

    public TimeSpan Window { get; set; }
}

/// <summary>Identity lockout: failed passwords in a row before an account is locked, and for how long.</summary>
public sealed class LockoutLimit
{
    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Abuse limits (section <c>AbuseLimits</c>): ASP.NET Core rate limiting of sign-in attempts, review posting, add-to-cart
/// and checkout, per shopper and per IP, plus Identity lockout. Generous for people, tight for scripts.
/// </summary>
public sealed class AbuseLimitOptions
{
    public const string SectionName = "AbuseLimits";

    public AbuseLimit SignIn { get; set; } = new() { PerShopper = 10, PerIp = 50, Window = TimeSpan.FromMinutes(5) };
    public AbuseLimit Review { get; set; } = new() { PerShopper = 5, PerIp = 30, Window = TimeSpan.FromMinutes(10) };
    public AbuseLimit AddToCart { get; set; } = new() { PerShopper = 60, PerIp = 300, Window = TimeSpan.FromMinutes(1) };
    public AbuseLimit Checkout { get; set; } = new() { PerShopper = 10, PerIp = 50, Window = TimeSpan.FromMinutes(10) };
    public LockoutLimit Lockout { get; set; } = new();

    public AbuseLimit For(AbuseAction action) => action switch
    {
        AbuseAction.SignIn => SignIn,
        AbuseAction.Review => Review,
        AbuseAction.AddToCart => AddToCart,
        _ => Checkout,
    };
}
