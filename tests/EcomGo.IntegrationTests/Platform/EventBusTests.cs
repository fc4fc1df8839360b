using System.Text.Json;
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

    private sealed class RecordingConsumer(IConnectionMultiplexer redis, RedisEventBus bus, string eventType, string group, Func<Ping, bool> succeed,
        TimeSpan handleDelay = default)
        : EventConsumer<Ping>(redis, bus, eventType, group, NullLogger.Instance)
    {
        private readonly List<string> _handled = [];
        public int Calls;

        public List<string> Handled
        {
            get
            {
                lock (_handled)
                {
                    return [.. _handled];
                }
            }
        }

        public int HandledCount
        {
            get
            {
                lock (_handled)
                {
                    return _handled.Count;
                }
            }
        }

        protected override async Task HandleAsync(EventEnvelope envelope, Ping data, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            if (!succeed(data))
            {
                throw new InvalidOperationException($"cannot handle {data.Text}");
            }

            if (handleDelay > TimeSpan.Zero)
            {
                await Task.Delay(handleDelay, cancellationToken);
            }

            lock (_handled)
            {
                _handled.Add(data.Text);
            }
        }
    }

    [Fact]
    public async Task Each_event_id_is_delivered_once_a_failing_event_is_parked_and_a_replay_delivers_it_again()
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

        var healed = false;
        var consumer = new RecordingConsumer(redis, bus, eventType, group, ping => ping.Text != "poison" || Volatile.Read(ref healed));
        await consumer.StartAsync(CancellationToken.None);
        try
        {
            var db = redis.GetDatabase();
            var dead = RedisEventBus.DeadLetterKey(eventType, group);
            await WaitUntilAsync(async () => await db.ListLengthAsync(dead) > 0, TimeSpan.FromSeconds(60));

            Assert.Equal(["ok"], consumer.Handled);
            Assert.Equal(11, consumer.Calls); // one success, ten failed attempts of the poison event
            Assert.Equal(0, await db.ListLengthAsync(RedisEventBus.QueueKey(eventType, group)));
            Assert.Equal(0, await db.ListLengthAsync(RedisEventBus.ProcessingKey(eventType, group, consumer.InstanceId)));
            Assert.Contains("poison", (string?)await db.ListGetByIndexAsync(dead, 0));

            // The cause is fixed; the dashboard's replay moves the parked event back and it is handled.
            Volatile.Write(ref healed, true);
            Assert.Equal(1, await bus.ReplayDeadLettersAsync(eventType, group));
            await WaitUntilAsync(() => Task.FromResult(consumer.HandledCount == 2), TimeSpan.FromSeconds(30));
            Assert.Equal(["ok", "poison"], consumer.Handled);
            Assert.Equal(0, await db.ListLengthAsync(dead));
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Events_published_before_a_declared_group_first_starts_all_reach_it()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("cache"));
        var eventType = $"test-{Guid.NewGuid():N}.v1";
        const string group = "late-starter";
        var bus = new RedisEventBus(redis, subscriptions: new EventSubscriptions(new Dictionary<string, string[]> { [eventType] = [group] }));

        // Nobody consumes yet, and the group never registered itself.
        for (var i = 0; i < 20; i++)
        {
            Assert.True(await bus.PublishAsync(Guid.CreateVersion7().ToString(), eventType, DateTimeOffset.UtcNow, $$"""{"text":"e{{i}}"}"""));
        }

        var consumer = new RecordingConsumer(redis, bus, eventType, group, _ => true);
        await consumer.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(() => Task.FromResult(consumer.HandledCount == 20), TimeSpan.FromSeconds(30));
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"e{i}"), consumer.Handled); // all of them, in order
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Two_competing_instances_handle_500_events_exactly_once_and_a_dead_instances_work_is_reclaimed_not_a_live_ones()
    {
        var options = ConfigurationOptions.Parse(await fixture.GetConnectionStringAsync("cache"));
        options.AsyncTimeout = options.SyncTimeout = 30_000; // a busy 2-core machine: slow answers are not what this test is about
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var eventType = $"test-{Guid.NewGuid():N}.v1";
        const string group = "replicas";
        var bus = new RedisEventBus(redis, subscriptions: new EventSubscriptions(new Dictionary<string, string[]> { [eventType] = [group] }));
        var db = redis.GetDatabase();

        // Work that two other instances took: one stopped heartbeating a minute ago (killed), one is alive.
        var envelope = (string text) => JsonSerializer.Serialize(new EventEnvelope(Guid.CreateVersion7().ToString(), eventType, DateTimeOffset.UtcNow,
            JsonSerializer.SerializeToElement(new Ping(text), EventEnvelope.SerializerOptions)), EventEnvelope.SerializerOptions);
        await db.ListLeftPushAsync(RedisEventBus.ProcessingKey(eventType, group, "killed"), [envelope("from-killed-1"), envelope("from-killed-2")]);
        await db.ListLeftPushAsync(RedisEventBus.ProcessingKey(eventType, group, "alive"), envelope("from-alive"));
        await db.HashSetAsync(RedisEventBus.InstancesKey(eventType, group),
        [
            new HashEntry("killed", DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds()),
            new HashEntry("alive", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds()),
        ]);

        for (var i = 0; i < 500; i++)
        {
            await bus.PublishAsync(Guid.CreateVersion7().ToString(), eventType, DateTimeOffset.UtcNow, $$"""{"text":"e{{i}}"}""");
        }

        var first = new RecordingConsumer(redis, bus, eventType, group, _ => true, handleDelay: TimeSpan.FromMilliseconds(2));
        var second = new RecordingConsumer(redis, bus, eventType, group, _ => true, handleDelay: TimeSpan.FromMilliseconds(2));
        await Task.WhenAll(first.StartAsync(CancellationToken.None), second.StartAsync(CancellationToken.None));
        try
        {
            await WaitUntilAsync(() => Task.FromResult(first.HandledCount + second.HandledCount >= 502), TimeSpan.FromSeconds(120));
            await Task.Delay(TimeSpan.FromSeconds(3)); // room for any duplicate to show up

            var all = first.Handled.Concat(second.Handled).ToList();
            Assert.Equal(502, all.Count);
            Assert.Equal(all.Count, all.Distinct().Count()); // nothing twice
            Assert.Contains("from-killed-1", all);
            Assert.Contains("from-killed-2", all);
            Assert.DoesNotContain("from-alive", all); // a live instance's in-flight event is left to it
            Assert.True(first.HandledCount > 0 && second.HandledCount > 0, $"both compete: {first.HandledCount} / {second.HandledCount}");
            Assert.Equal(1, await db.ListLengthAsync(RedisEventBus.ProcessingKey(eventType, group, "alive")));
            Assert.False(await db.HashExistsAsync(RedisEventBus.InstancesKey(eventType, group), "killed"));
        }
        finally
        {
            await Task.WhenAll(first.StopAsync(CancellationToken.None), second.StopAsync(CancellationToken.None));
            await db.KeyDeleteAsync([RedisEventBus.ProcessingKey(eventType, group, "alive"), RedisEventBus.InstancesKey(eventType, group)]);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(100, cts.Token);
        }
    }
}
