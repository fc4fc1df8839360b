using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EcomGo.ServiceDefaults.Messaging;

/// <summary>A running consumer of one event type in one group (used to find the groups whose dead letters to replay).</summary>
public interface IEventConsumer
{
    string EventType { get; }
    string Group { get; }
}

/// <summary>
/// Base for a hosted consumer of one event type in one consumer group; several instances (replicas) of a group compete.
/// An event moves from the group's queue to THIS instance's processing list (LMOVE) while it is handled and is removed
/// only after success. Each instance heartbeats; when an instance stops heartbeating for <see cref="VisibilityTimeout"/>
/// (a crash, a kill), another instance moves its in-flight events back to the queue, so nothing is lost and a live
/// instance's work is never taken from it. Handlers must still be idempotent by event id: an event whose handler
/// finished just before a crash is delivered again. Redis outages are waited out, not fatal.
/// </summary>
public abstract class EventConsumer<T>(
    IConnectionMultiplexer redis, RedisEventBus bus, string eventType, string group, ILogger logger) : BackgroundService, IEventConsumer
{
    private static readonly ActivitySource s_activitySource = new("EcomGo.Messaging");
    private const int MaxAttempts = 10;
    private readonly SemaphoreSlim _signal = new(0);

    public string EventType => eventType;
    public string Group => group;

    /// <summary>This instance's id: its processing list and heartbeat are its own.</summary>
    public string InstanceId { get; } = Guid.CreateVersion7().ToString("N");

    /// <summary>How long an instance may miss heartbeats before its in-flight events go back to the queue.</summary>
    protected virtual TimeSpan VisibilityTimeout => TimeSpan.FromSeconds(30);

    private TimeSpan HeartbeatInterval => VisibilityTimeout / 4;

    protected abstract Task HandleAsync(EventEnvelope envelope, T data, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!bus.IsDeclared(eventType, group))
        {
            logger.LogWarning("Consumer group {Group} of {EventType} is not declared in EventSubscriptions: events published before it first starts are not queued for it",
                group, eventType);
        }

        var queue = RedisEventBus.QueueKey(eventType, group);
        var processing = RedisEventBus.ProcessingKey(eventType, group, InstanceId);
        await redis.GetSubscriber().SubscribeAsync(RedisEventBus.SignalChannel(eventType), (_, _) => _signal.Release());
        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = HeartbeatAsync(heartbeats.Token);
        var registered = false;

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var db = redis.GetDatabase();
                    if (!registered)
                    {
                        await bus.RegisterGroupAsync(eventType, group);
                        await BeatAndReclaimAsync(db);
                        registered = true;
                    }

                    var item = await db.ListMoveAsync(queue, processing, ListSide.Right, ListSide.Left);
                    if (item.IsNull)
                    {
                        // Woken by the publish signal, or poll in case a signal was missed.
                        await _signal.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
                        continue;
                    }

                    await ProcessAsync(db, processing, item!, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    logger.LogWarning("Redis unavailable for {EventType}/{Group}: {Message}; retrying", eventType, group, e.Message);
                    registered = false;
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
            }
        }
        finally
        {
            await heartbeats.CancelAsync();
            await heartbeat;
            await LeaveAsync(queue, processing);
        }
    }

    /// <summary>Keeps this instance visibly alive (also while a handler runs long) and reclaims dead instances' work.</summary>
    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await BeatAndReclaimAsync(redis.GetDatabase());
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    logger.LogDebug("Heartbeat of {EventType}/{Group} failed: {Message}", eventType, group, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task BeatAndReclaimAsync(IDatabase db)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var instances = RedisEventBus.InstancesKey(eventType, group);
        await db.HashSetAsync(instances, InstanceId, now);

        foreach (var instance in await db.HashGetAllAsync(instances))
        {
            var id = (string)instance.Name!;
            if (id == InstanceId || !instance.Value.TryParse(out long lastBeat) || now - lastBeat < VisibilityTimeout.TotalMilliseconds)
            {
                continue;
            }

            // LMOVE is atomic per item, so two instances reclaiming the same dead instance never duplicate an event.
            var moved = await MoveAllAsync(db, RedisEventBus.ProcessingKey(eventType, group, id), RedisEventBus.QueueKey(eventType, group));
            await db.HashDeleteAsync(instances, id);
            if (moved > 0)
            {
                logger.LogWarning("Consumer instance {Instance} of {EventType}/{Group} stopped heartbeating; {Count} in-flight events went back to the queue",
                    id, eventType, group, moved);
            }
        }

        bus.ReportDeadLetters(eventType, group, await db.ListLengthAsync(RedisEventBus.DeadLetterKey(eventType, group)));
    }

    /// <summary>A graceful stop hands this instance's unfinished events straight back instead of waiting for the timeout.</summary>
    private async Task LeaveAsync(string queue, string processing)
    {
        try
        {
            var db = redis.GetDatabase();
            await MoveAllAsync(db, processing, queue);
            await db.HashDeleteAsync(RedisEventBus.InstancesKey(eventType, group), InstanceId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogDebug("Could not hand back in-flight {EventType} events on stop: {Message}; they are reclaimed after the visibility timeout", eventType, e.Message);
        }
    }

    private static async Task<int> MoveAllAsync(IDatabase db, string from, string to)
    {
        var moved = 0;
        // Back to the consuming end of the queue: these events were taken first, so they are handled next.
        while (await db.ListMoveAsync(from, to, ListSide.Right, ListSide.Right) is { IsNull: false })
        {
            moved++;
        }

        return moved;
    }

    private async Task ProcessAsync(IDatabase db, string processing, string item, CancellationToken stoppingToken)
    {
        var deadLetters = RedisEventBus.DeadLetterKey(eventType, group);
        EventEnvelope envelope;
        T data;
        try
        {
            envelope = JsonSerializer.Deserialize<EventEnvelope>(item, EventEnvelope.SerializerOptions)!;
            data = envelope.GetData<T>();
        }
        catch (JsonException e)
        {
            // A malformed message can never succeed: park it rather than loop on it.
            logger.LogError(e, "Parking malformed {EventType} message for {Group}", eventType, group);
            await db.ListLeftPushAsync(deadLetters, item);
            await db.ListRemoveAsync(processing, item, 1);
            return;
        }

        using var activity = s_activitySource.StartActivity($"consume {eventType}", ActivityKind.Consumer);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.message.id", envelope.Id);
        activity?.SetTag("messaging.consumer.group.name", group);
        var attemptsKey = RedisEventBus.AttemptsKey(eventType, group);
        try
        {
            await HandleAsync(envelope, data, stoppingToken);
            await db.ListRemoveAsync(processing, item, 1);
            await db.HashDeleteAsync(attemptsKey, envelope.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Retried after the others (back of the queue); after MaxAttempts it is parked in the dead list, kept for
            // inspection and replay, so one event that can never succeed does not spin forever.
            var attempts = await db.HashIncrementAsync(attemptsKey, envelope.Id);
            var parked = attempts >= MaxAttempts;
            logger.LogWarning(e, "Handling {EventType} {EventId} failed (attempt {Attempt} of {MaxAttempts}); {Outcome}",
                eventType, envelope.Id, attempts, MaxAttempts, parked ? "parked in the dead list" : "it will be retried");
            await db.ListLeftPushAsync(parked ? deadLetters : RedisEventBus.QueueKey(eventType, group), item);
            await db.ListRemoveAsync(processing, item, 1);
            if (parked)
            {
                bus.ReportDeadLetters(eventType, group, await db.ListLengthAsync(deadLetters));
            }

            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }
}
