namespace EcomGo.Storefront.Data;

/// <summary>
/// An event written in the same transaction as the change it describes; the dispatcher publishes it to Redis
/// and stamps <see cref="SentAt"/>, so nothing is lost while Redis is down.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
