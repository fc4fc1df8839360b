using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>
/// The Storefront's outbox end to end: events reach a consumer group's queue exactly once, also across a Redis outage.
/// Key names follow ServiceDefaults' RedisEventBus: a set of groups per event type and one list per group.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OutboxTests(AppFixture fixture, ITestOutputHelper output)
{
    private static string GroupsKey(string eventType) => $"events:{eventType}:groups";
    private static string QueueKey(string eventType, string group) => $"events:{eventType}:{group}";

    [Fact]
    public async Task Writing_a_review_delivers_exactly_one_review_created_event()
    {
        const string eventType = "review-created.v1";
        var group = $"test-{Guid.NewGuid():N}";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("cache"));
        var db = redis.GetDatabase();
        await db.SetAddAsync(GroupsKey(eventType), group);
        try
        {
            using var marco = await StorefrontClient.SignedInAsync(fixture, StorefrontClient.Marco);
            var mine = (await marco.GetAsync<List<ReviewView>>("/api/reviews/mine")).Select(r => r.ProductId).ToHashSet();
            var productId = (await marco.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?pageSize=100&sort=name"))
                .Items.Select(p => p.Id).First(id => !mine.Contains(id));

            var stopwatch = Stopwatch.StartNew();
            var response = await marco.Http.PostAsJsonAsync($"/api/products/{productId}/reviews",
                new { rating = 5, title = "Lovely", text = "Makes my morning coffee routine so much better." });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var review = (await response.Content.ReadFromJsonAsync<ReviewView>(StorefrontClient.Json))!;

            var delivered = await WaitForAsync(db, QueueKey(eventType, group), e => e.GetProperty("data").GetProperty("reviewId").GetInt32() == review.Id,
                TimeSpan.FromSeconds(15));
            output.WriteLine($"review-created delivered {stopwatch.ElapsedMilliseconds} ms after the POST");
            Assert.Single(delivered);
            var envelope = delivered[0];
            Assert.Equal(eventType, envelope.GetProperty("type").GetString());
            var data = envelope.GetProperty("data");
            Assert.Equal(productId, data.GetProperty("productId").GetInt32());
            Assert.Equal(marco.UserId, data.GetProperty("userId").GetString());
            Assert.Equal(5, data.GetProperty("rating").GetInt32());

            // Give the dispatcher a few more polls: still exactly one.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Single(await MatchingAsync(db, QueueKey(eventType, group), e => e.GetProperty("data").GetProperty("reviewId").GetInt32() == review.Id));
            await marco.Http.DeleteAsync($"/api/reviews/{review.Id}");
        }
        finally
        {
            await db.SetRemoveAsync(GroupsKey(eventType), group);
            await db.KeyDeleteAsync(QueueKey(eventType, group));
        }
    }

    [Fact]
    public async Task An_interaction_is_accepted_while_Redis_is_down_and_delivered_once_after_it_returns()
    {
        const string eventType = "interaction-recorded.v1";
        var group = $"test-{Guid.NewGuid():N}";
        var cacheConnection = await fixture.GetConnectionStringAsync("cache");
        var options = ConfigurationOptions.Parse(cacheConnection);
        options.AbortOnConnectFail = false;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        await redis.GetDatabase().SetAddAsync(GroupsKey(eventType), group);
        await using var shopDb = await Db.OpenAsync(fixture);
        using var visitor = new StorefrontClient(fixture);
        var productId = (await visitor.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?pageSize=1")).Items[0].Id;

        var stopwatch = Stopwatch.StartNew();
        // Let Garnet's append-only file (flushed every 100 ms) persist the group before it is stopped.
        await Task.Delay(300);
        var stopped = await fixture.App.ResourceCommands.ExecuteCommandAsync("cache", KnownResourceCommands.StopCommand);
        Assert.True(stopped.Success, $"stop cache: {stopped.Message}");
        long outboxId;
        string eventId;
        try
        {
            await fixture.App.ResourceNotifications.WaitForResourceAsync("cache",
                e => e.Snapshot.State?.Text is "Exited" or "Finished" or "Stopped", new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
            output.WriteLine($"cache stopped after {stopwatch.ElapsedMilliseconds} ms");

            var before = await shopDb.ScalarAsync("""SELECT coalesce(max("Id"), 0) FROM storefront."Outbox" """);
            var response = await visitor.Http.PostAsJsonAsync("/api/interactions", new { productId, kind = "view" });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

            var rows = await shopDb.QueryAsync(
                """SELECT "Id", "Payload", "SentAt" IS NULL, "EventId"::text FROM storefront."Outbox" WHERE "Id" > $1 AND "EventType" = $2 ORDER BY "Id" """,
                r => (Id: r.GetInt64(0), Payload: r.GetString(1), Unsent: r.GetBoolean(2), EventId: r.GetString(3)), before, eventType);
            var row = Assert.Single(rows, r => JsonDocument.Parse(r.Payload).RootElement.GetProperty("productId").GetInt32() == productId);
            outboxId = row.Id;
            eventId = row.EventId;
            var interactionId = JsonDocument.Parse(row.Payload).RootElement.GetProperty("interactionId").GetInt64();
            Assert.Equal(1, await shopDb.ScalarAsync("""SELECT count(*) FROM storefront."Interactions" WHERE "Id" = $1""", interactionId));

            // Nothing can be published while Redis is down: the row waits.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal(0, await shopDb.ScalarAsync("""SELECT count(*) FROM storefront."Outbox" WHERE "Id" = $1 AND "SentAt" IS NOT NULL""", outboxId));
        }
        finally
        {
            var started = await fixture.App.ResourceCommands.ExecuteCommandAsync("cache", KnownResourceCommands.StartCommand);
            Assert.True(started.Success, $"start cache: {started.Message}");
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("cache", new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            output.WriteLine($"cache healthy again after {stopwatch.ElapsedMilliseconds} ms");
        }

        var db = redis.GetDatabase();
        try
        {
            Assert.True(await db.SetContainsAsync(GroupsKey(eventType), group), "the test group did not survive the Redis restart");
            var delivered = await WaitForAsync(db, QueueKey(eventType, group), e => e.GetProperty("id").GetString() == eventId,
                TimeSpan.FromSeconds(20));
            output.WriteLine($"delivered {stopwatch.ElapsedMilliseconds} ms after the stop");
            Assert.Single(delivered);

            // Stamped sent, and still exactly one copy after a few more dispatcher polls.
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (await shopDb.ScalarAsync("""SELECT count(*) FROM storefront."Outbox" WHERE "Id" = $1 AND "SentAt" IS NOT NULL""", outboxId) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "outbox row not stamped as sent");
                await Task.Delay(200);
            }

            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Single(await MatchingAsync(db, QueueKey(eventType, group), e => e.GetProperty("id").GetString() == eventId));
        }
        finally
        {
            await db.SetRemoveAsync(GroupsKey(eventType), group);
            await db.KeyDeleteAsync(QueueKey(eventType, group));
            // Other tests share the app: wait until every service's Redis health check has reconnected.
            using var healthy = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Task.WhenAll(AppFixture.ServiceNames.Select(s => fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(s, healthy.Token)));
            output.WriteLine($"all services healthy again after {stopwatch.ElapsedMilliseconds} ms");
        }
    }

    [Fact]
    public async Task Event_ids_are_unique_UUIDv7s_so_a_Redis_that_outlived_a_database_reset_still_gets_new_events()
    {
        const string eventType = "interaction-recorded.v1";
        var group = $"test-{Guid.NewGuid():N}";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("cache"));
        var db = redis.GetDatabase();
        await using var shopDb = await Db.OpenAsync(fixture);
        await db.SetAddAsync(GroupsKey(eventType), group);

        // What a database reset leaves behind: Redis still holds "published" markers for the row ids the new database
        // hands out again. With row ids as event ids, the next events would be marked sent without being delivered.
        var lastRowId = await shopDb.ScalarAsync("""SELECT coalesce(max("Id"), 0) FROM storefront."Outbox" """);
        var staleMarkers = Enumerable.Range(1, 20).Select(i => (RedisKey)$"events:{eventType}:published:{lastRowId + i}").ToArray();
        foreach (var marker in staleMarkers)
        {
            await db.StringSetAsync(marker, "before the reset", TimeSpan.FromMinutes(10));
        }

        try
        {
            using var visitor = new StorefrontClient(fixture);
            var productIds = (await visitor.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?pageSize=3&sort=name")).Items.Select(p => p.Id).ToList();
            foreach (var productId in productIds)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await visitor.Http.PostAsJsonAsync("/api/interactions", new { productId, kind = "view" })).StatusCode);
            }

            var delivered = new List<JsonElement>();
            foreach (var productId in productIds)
            {
                delivered.AddRange(await WaitForAsync(db, QueueKey(eventType, group),
                    e => e.GetProperty("data").GetProperty("productId").GetInt32() == productId, TimeSpan.FromSeconds(20)));
            }

            Assert.Equal(productIds.Count, delivered.Count);
            var ids = delivered.Select(e => Guid.Parse(e.GetProperty("id").GetString()!)).ToList();
            Assert.All(ids, id => Assert.Equal(7, id.Version));
            Assert.Equal(ids.Count, ids.Distinct().Count());
        }
        finally
        {
            await db.KeyDeleteAsync(staleMarkers);
            await db.SetRemoveAsync(GroupsKey(eventType), group);
            await db.KeyDeleteAsync(QueueKey(eventType, group));
        }
    }

    private static async Task<List<JsonElement>> MatchingAsync(IDatabase db, string queue, Func<JsonElement, bool> match)
    {
        var items = await db.ListRangeAsync(queue);
        return [.. items.Select(i => JsonDocument.Parse(i.ToString()).RootElement).Where(match)];
    }

    private static async Task<List<JsonElement>> WaitForAsync(IDatabase db, string queue, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var found = await MatchingAsync(db, queue, match);
                if (found.Count > 0 || DateTime.UtcNow > deadline)
                {
                    return found;
                }
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                // Our own connection is still coming back after the restart.
            }

            await Task.Delay(200);
        }
    }
}
