using System.Text.Json;
using StackExchange.Redis;

namespace EcomGo.ServiceDefaults.Messaging;

/// <summary>
/// Durable publish/subscribe over Redis lists, using only commands Redis and Garnet both serve (no Streams, no Lua).
/// Each consumer group registers itself in a set; publishing pushes the envelope onto every group's queue in one
/// MULTI/EXEC guarded by a "published" marker, so one event id is delivered at most once per group even when the
/// publisher retries. Consumers move items to a processing list while they work (see <see cref="EventConsumer{T}"/>).
/// </summary>
public sealed class RedisEventBus(IConnectionMultiplexer redis)
{
    // How long the idempotency marker of a published event is kept.
    private static readonly TimeSpan s_publishedMarkerLifetime = TimeSpan.FromDays(7);

    public static string GroupsKey(string eventType) => $"events:{eventType}:groups";
    public static string QueueKey(string eventType, string group) => $"events:{eventType}:{group}";
    public static string ProcessingKey(string eventType, string group) => $"events:{eventType}:{group}:processing";
    public static RedisChannel SignalChannel(string eventType) => RedisChannel.Literal($"events:{eventType}:signal");
    // Per event type: ids are only unique within one publisher's stream (the Storefront uses outbox row ids).
    private static string PublishedMarkerKey(string eventType, string eventId) => $"events:{eventType}:published:{eventId}";

    /// <summary>Publishes once: returns false when this event id was already published (nothing is pushed again).</summary>
    public async Task<bool> PublishAsync(string eventId, string eventType, DateTimeOffset occurredAt, string payloadJson)
    {
        var db = redis.GetDatabase();
        var envelope = JsonSerializer.Serialize(
            new EventEnvelope(eventId, eventType, occurredAt, JsonDocument.Parse(payloadJson).RootElement), EventEnvelope.SerializerOptions);
        var groups = await db.SetMembersAsync(GroupsKey(eventType));

        var transaction = db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(PublishedMarkerKey(eventType, eventId)));
        _ = transaction.StringSetAsync(PublishedMarkerKey(eventType, eventId), occurredAt.ToString("O"), s_publishedMarkerLifetime);
        foreach (var group in groups)
        {
            _ = transaction.ListLeftPushAsync(QueueKey(eventType, group!), envelope);
        }

        if (!await transaction.ExecuteAsync())
        {
            return false;
        }

        await db.PublishAsync(SignalChannel(eventType), eventId);
        return true;
    }

    /// <summary>Registers a consumer group so publishers start queueing events for it.</summary>
    public Task RegisterGroupAsync(string eventType, string group) =>
        redis.GetDatabase().SetAddAsync(GroupsKey(eventType), group);
}
