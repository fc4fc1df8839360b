using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EcomGo.ServiceDefaults.Messaging;

/// <summary>
/// Base for a hosted consumer of one event type in one consumer group. An event moves from the group's queue to
/// its processing list (LMOVE) while it is handled and is removed only after success, so a crash or restart
/// re-delivers it. Handlers must be idempotent by event id. Redis outages are waited out, not fatal.
/// </summary>
public abstract class EventConsumer<T>(
    IConnectionMultiplexer redis, RedisEventBus bus, string eventType, string group, ILogger logger) : BackgroundService
{
    private static readonly ActivitySource s_activitySource = new("EcomGo.Messaging");
    private const int MaxAttempts = 10;
    private readonly SemaphoreSlim _signal = new(0);

    protected abstract Task HandleAsync(EventEnvelope envelope, T data, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = RedisEventBus.QueueKey(eventType, group);
        var processing = RedisEventBus.ProcessingKey(eventType, group);
        await redis.GetSubscriber().SubscribeAsync(RedisEventBus.SignalChannel(eventType), (_, _) => _signal.Release());
        var registered = false;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                if (!registered)
                {
                    await bus.RegisterGroupAsync(eventType, group);
                    // Whatever was mid-flight when this consumer last stopped goes back to the queue.
                    while (await db.ListMoveAsync(processing, queue, ListSide.Right, ListSide.Right) is { IsNull: false })
                    {
                    }

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

    private async Task ProcessAsync(IDatabase db, string processing, string item, CancellationToken stoppingToken)
    {
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
            logger.LogError(e, "Dropping malformed {EventType} message for {Group}", eventType, group);
            await db.ListLeftPushAsync($"{processing}:dead", item);
            await db.ListRemoveAsync(processing, item, 1);
            return;
        }

        using var activity = s_activitySource.StartActivity($"consume {eventType}", ActivityKind.Consumer);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.message.id", envelope.Id);
        activity?.SetTag("messaging.consumer.group.name", group);
        var attemptsKey = $"{processing}:attempts";
        try
        {
            await HandleAsync(envelope, data, stoppingToken);
            await db.ListRemoveAsync(processing, item, 1);
            await db.HashDeleteAsync(attemptsKey, envelope.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Retried after the others (back of the queue); after MaxAttempts it is parked in the dead list, kept for
            // inspection, so one event that can never succeed does not spin forever.
            var attempts = await db.HashIncrementAsync(attemptsKey, envelope.Id);
            var target = attempts >= MaxAttempts ? $"{processing}:dead" : RedisEventBus.QueueKey(eventType, group);
            logger.LogWarning(e, "Handling {EventType} {EventId} failed (attempt {Attempt} of {MaxAttempts}); {Outcome}",
                eventType, envelope.Id, attempts, MaxAttempts, attempts >= MaxAttempts ? "parked in the dead list" : "it will be retried");
            await db.ListLeftPushAsync(target, item);
            await db.ListRemoveAsync(processing, item, 1);
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }
}
