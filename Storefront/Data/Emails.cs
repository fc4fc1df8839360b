namespace EcomGo.Storefront.Data;

/// <summary>Where an email is in its life: waiting (or retrying), sent, or given up on.</summary>
public enum EmailStatus { Pending, Sent, Failed, Cancelled }

/// <summary>
/// One email in the Storefront's durable send queue. It is rendered when queued (prices as the shop showed them then)
/// and sent by <c>EmailSender</c> with retries; <see cref="DedupKey"/> is unique, so a period's digest or a
/// conversation's follow-up is queued at most once, across restarts and replicas.
/// </summary>
public sealed class EmailMessage
{
    public long Id { get; set; }
    /// <summary>The id its links carry (made before the row is saved, so the links can be rendered into the body).</summary>
    public Guid PublicId { get; set; }
    /// <summary>"digest" or "chat-follow-up" (metrics and the staff page group by it).</summary>
    public required string Kind { get; set; }
    /// <summary>E.g. "digest:{userId}:2026-W49" or "chat-follow-up:{conversationId}".</summary>
    public required string DedupKey { get; set; }
    public required string UserId { get; set; }
    public required string ToAddress { get; set; }
    public required string ToName { get; set; }
    public required string Subject { get; set; }
    public required string HtmlBody { get; set; }
    public required string TextBody { get; set; }
    /// <summary>The products shown, in order; their pictures travel inside the email (cid: parts).</summary>
    public int[] ProductIds { get; set; } = [];
    public required string UnsubscribeUrl { get; set; }
    public EmailStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>A sender instance holds the row until then; a crashed instance's rows are taken over afterwards.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
}

/// <summary>A followed product link of an email (the tracking route records one per click).</summary>
public sealed class EmailClick
{
    public long Id { get; set; }
    public long EmailMessageId { get; set; }
    public required string Kind { get; set; }
    public int ProductId { get; set; }
    public DateTimeOffset ClickedAt { get; set; }
}
