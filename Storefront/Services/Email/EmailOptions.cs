namespace EcomGo.Storefront.Services.Email;

/// <summary>Recommendation emails, bound from the "Email" configuration section.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>The shop's public address, for links in emails (the AppHost sets it to the Storefront's endpoint).</summary>
    public Uri ShopBaseUrl { get; set; } = new("http://localhost:5080");
    public string FromAddress { get; set; } = "picks@ecomgo.local";
    public string FromName { get; set; } = "EcomGo";

    /// <summary>At most this many emails per second leave the shop (a mail server's and a sender reputation's limit).</summary>
    public int MaxPerSecond { get; set; } = 10;
    /// <summary>Rows a sender instance claims at once.</summary>
    public int BatchSize { get; set; } = 20;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>First retry after this, doubling per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>A server that stays down this many attempts (about 2.5 hours with the defaults) makes the email fail.</summary>
    public int MaxAttempts { get; set; } = 35;
    /// <summary>Longest wait for one SMTP step (e.g. the greeting of a server that accepts connections but hangs).</summary>
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the tracked product links in an email keep working.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How long an unsubscribe link keeps working (long: it must work for old emails too).</summary>
    public TimeSpan UnsubscribeLinkLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Products in a digest.</summary>
    public int DigestItems { get; set; } = 6;
    /// <summary>Send the weekly digest by itself (from <see cref="DigestDay"/> at <see cref="DigestHourUtc"/>); off leaves only "send digests now".</summary>
    public bool AutomaticDigests { get; set; } = true;
    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;
    public int DigestHourUtc { get; set; } = 8;
    public TimeSpan DigestCheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Recommendations added below the products a chat was about, in a chat follow-up.</summary>
    public int FollowUpRecommendations { get; set; } = 3;
}
