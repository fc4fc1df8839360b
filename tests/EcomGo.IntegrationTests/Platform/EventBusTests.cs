using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.ServiceDefaults.Messaging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace EcomGo.IntegrationTests.Platform;

/// <summary>The Redis event bus on the app's real cache (Garnet in local mode).</summary>
[Collection(AppCollection.Name)]
public sealed class EventBusTests(AppFixture fixture)
{
    private sealed record Ping(string Text);

    private sealed class RecordingConsumer(IConnectionMultiplexer redis, RedisEventBus bus, string eventType, string group, Func<Ping, bool> succeed)
        : EventConsumer<Ping>(redis, bus, eventType, group, NullLogger.Instance)
    {
        public int Calls;
        public readonly List<string> Handled = [];

        protected override Task HandleAsync(EventEnvelope envelope, Ping data, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            if (!succeed(data))
            {
                throw new InvalidOperationException($"cannot handle {data.Text}");
            }

            lock (Handled)
            {
                Handled.Add(data.Text);
            }

            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Each_event_id_is_delivered_once_and_an_event_that_always_fails_is_parked_not_retried_forever()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("cache"));
        var bus = new RedisEventBus(redis);
        var eventType = $"test-{Guid.NewGuid():N}.v1";
        const string group = "tests";
        await bus.RegisterGroupAsync(eventType, group);

        var now = DateTimeOffset.UtcNow;
        Assert.True(await bus.PublishAsync("1", eventType, now, """{"text":"ok"}"""));
        Assert.False(await bus.PublishAsync("1", eventType, now, """{"text":"ok"}""")); // same id: not pushed again
        Assert.True(await bus.PublishAsync("2", eventType, now, """{"text":"poison"}"""));

        var consumer = new RecordingConsumer(redis, bus, eventType, group, ping => ping.Text != "poison");
        await consumer.StartAsync(CancellationToken.None);
        try
        {
            var db = redis.GetDatabase();
            var dead = $"{RedisEventBus.ProcessingKey(eventType, group)}:dead";
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await db.ListLengthAsync(dead) == 0)
            {
                await Task.Delay(200, timeout.Token);
            }

            Assert.Equal(["ok"], consumer.Handled);
            Assert.Equal(11, consumer.Calls); // one success, ten failed attempts of the poison event
            Assert.Equal(0, await db.ListLengthAsync(RedisEventBus.QueueKey(eventType, group)));
            Assert.Equal(0, await db.ListLengthAsync(RedisEventBus.ProcessingKey(eventType, group)));
            Assert.Contains("poison", (string?)await db.ListGetByIndexAsync(dead, 0));
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
        }
    }
}
