namespace EcomGo.Storefront.Data;

/// <summary>
/// An event written in the same transaction as the change it describes; the dispatcher publishes it to Redis
/// and stamps <see cref="SentAt"/>, so nothing is lost while Redis is down.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    /// <summary>
    /// The event's globally unique id (UUIDv7, time-ordered) that consumers and the publish-once marker key on. Not the
    /// row id: row ids start again after a database reset while Redis still remembers the old ones.
    /// </summary>
    public Guid EventId { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
