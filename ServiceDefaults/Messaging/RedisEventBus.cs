using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using StackExchange.Redis;

namespace EcomGo.ServiceDefaults.Messaging;

/// <summary>
/// Durable publish/subscribe over Redis lists, using only commands Redis and Garnet both serve (no Streams, no Lua).
/// Publishing pushes the envelope onto the queue of every consumer group of its type: the groups declared up front in
/// <see cref="EventSubscriptions"/> (so nothing is lost for a group that has not started yet) plus any group that
/// registered itself. One MULTI/EXEC guarded by a "published" marker delivers an event id at most once per group even
/// when the publisher retries. Consumers move items to their own processing list while they work (see
/// <see cref="EventConsumer{T}"/>).
/// </summary>
public sealed class RedisEventBus
{
    // How long the idempotency marker of a published event is kept.
    private static readonly TimeSpan s_publishedMarkerLifetime = TimeSpan.FromDays(7);
    private readonly IConnectionMultiplexer _redis;
    private readonly ConcurrentDictionary<(string EventType, string Group), long> _deadLetters = new();

    private readonly EventSubscriptions _subscriptions;

    public RedisEventBus(IConnectionMultiplexer redis, IMeterFactory? meterFactory = null, EventSubscriptions? subscriptions = null)
    {
        _redis = redis;
        _subscriptions = subscriptions ?? EventSubscriptions.Declared;
        var meter = meterFactory?.Create("EcomGo.Messaging") ?? new Meter("EcomGo.Messaging");
        meter.CreateObservableGauge("ecomgo.events.dead_letters",
            () => _deadLetters.Select(d => new Measurement<long>(d.Value,
                new("messaging.destination.name", d.Key.EventType), new("messaging.consumer.group.name", d.Key.Group))),
            unit: "{event}", description: "Events parked after failing too often; replay them with the dashboard command.");
    }

    public static string GroupsKey(string eventType) => $"events:{eventType}:groups";
    public static string QueueKey(string eventType, string group) => $"events:{eventType}:{group}";
    /// <summary>Events handed to one consumer instance and not yet finished; reclaimed when the instance dies.</summary>
    public static string ProcessingKey(string eventType, string group, string instance) => $"events:{eventType}:{group}:processing:{instance}";
    /// <summary>Hash of the group's live consumer instances: instance id -> last heartbeat (Unix ms).</summary>
    public static string InstancesKey(string eventType, string group) => $"events:{eventType}:{group}:instances";
    /// <summary>Events that failed too often, kept for inspection and replay.</summary>
    public static string DeadLetterKey(string eventType, string group) => $"events:{eventType}:{group}:dead";
    public static string AttemptsKey(string eventType, string group) => $"events:{eventType}:{group}:attempts";
    public static RedisChannel SignalChannel(string eventType) => RedisChannel.Literal($"events:{eventType}:signal");
    // Per event type, as a second guard: ids are globally unique (UUIDv7), but a replayed id must not be pushed twice.
    private static string PublishedMarkerKey(string eventType, string eventId) => $"events:{eventType}:published:{eventId}";

    /// <summary>Publishes once: returns false when this event id was already published (nothing is pushed again).</summary>
    public async Task<bool> PublishAsync(string eventId, string eventType, DateTimeOffset occurredAt, string payloadJson)
    {
        var db = _redis.GetDatabase();
        var envelope = JsonSerializer.Serialize(
            new EventEnvelope(eventId, eventType, occurredAt, JsonDocument.Parse(payloadJson).RootElement), EventEnvelope.SerializerOptions);
        var groups = (await db.SetMembersAsync(GroupsKey(eventType)))
            .Select(g => (string)g!)
            .Union(_subscriptions.GroupsOf(eventType), StringComparer.Ordinal);

        var transaction = db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(PublishedMarkerKey(eventType, eventId)));
        _ = transaction.StringSetAsync(PublishedMarkerKey(eventType, eventId), occurredAt.ToString("O"), s_publishedMarkerLifetime);
        foreach (var group in groups)
        {
            _ = transaction.ListLeftPushAsync(QueueKey(eventType, group), envelope);
        }

        if (!await transaction.ExecuteAsync())
        {
            return false;
        }

        await db.PublishAsync(SignalChannel(eventType), eventId);
        return true;
    }

    public bool IsDeclared(string eventType, string group) => _subscriptions.GroupsOf(eventType).Contains(group);

    /// <summary>Registers a consumer group so publishers start queueing events for it (declared groups need not).</summary>
    public Task RegisterGroupAsync(string eventType, string group) =>
        _redis.GetDatabase().SetAddAsync(GroupsKey(eventType), group);

    /// <summary>Consumers report their group's dead-letter count here for the metric.</summary>
    public void ReportDeadLetters(string eventType, string group, long count) => _deadLetters[(eventType, group)] = count;

    /// <summary>Moves every parked event of the group back to its queue (attempt counts start again); returns how many.</summary>
    public async Task<int> ReplayDeadLettersAsync(string eventType, string group)
    {
        var db = _redis.GetDatabase();
        var replayed = 0;
        while (await db.ListMoveAsync(DeadLetterKey(eventType, group), QueueKey(eventType, group), ListSide.Right, ListSide.Left) is { IsNull: false } item)
        {
            if (TryReadId(item!) is { } id)
            {
                await db.HashDeleteAsync(AttemptsKey(eventType, group), id);
            }

            replayed++;
        }

        ReportDeadLetters(eventType, group, 0);
        if (replayed > 0)
        {
            await db.PublishAsync(SignalChannel(eventType), "replay");
        }

        return replayed;
    }

    private static string? TryReadId(string item)
    {
        try
        {
            return JsonSerializer.Deserialize<EventEnvelope>(item, EventEnvelope.SerializerOptions)?.Id;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
