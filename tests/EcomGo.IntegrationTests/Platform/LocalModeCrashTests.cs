using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Storefront;
using EcomGo.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Platform;

/// <summary>
/// A second AppHost for tests that kill infrastructure processes. DisableParallelization: xunit runs it after the
/// parallel collections (the shared app has been stopped by then), so the two apps never compete for the cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "EcomGo app, crash tests";
}

/// <summary>
/// Local mode is what a laptop runs, so its data must survive a killed process. A write load of orders and reviews
/// goes through the Storefront's HTTP API while the PGlite server (then Garnet) is killed with SIGKILL and started
/// again: every write the shop acknowledged is there afterwards, none twice, and every acknowledged review's event
/// still reaches Redis exactly once (the outbox re-sends what Garnet lost).
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class LocalModeCrashTests(AppFixture fixture, ITestOutputHelper output)
{
    // Generous: on a saturated 2-core machine Garnet took 2.4 min to restart (AOF replay) and PGlite over a minute.
    private static readonly TimeSpan s_recoveryTimeout = TimeSpan.FromMinutes(5);

    // Demo shoppers other than the personas the other tests sign in as.
    private static readonly string[] s_shoppers =
    [
        "fatima.benali", "noah.schmidt", "amara.okoye", "lucas.ferreira", "hannah.kowalski", "ethan.brooks",
    ];

    [Fact]
    public async Task Kill_9_of_the_PGlite_server_during_orders_and_reviews_loses_no_acknowledged_write_and_doubles_none()
    {
        var shoppers = await SignInAsync(s_shoppers[..4]);
        var productIds = await InStockProductIdsAsync();
        long ordersBefore;
        await using (var before = await Db.OpenAsync(fixture))
        {
            // Demo shoppers come with seeded orders: only orders placed from here on count.
            ordersBefore = await before.ScalarAsync("""SELECT coalesce(max("Id"), 0) FROM storefront."Orders" """);
        }

        var load = new WriteLoad(shoppers, productIds, placeOrders: true);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);

        await load.WaitForAcknowledgedAsync(10, s_recoveryTimeout);
        var beforeKill = load.Acknowledged;
        await KillAndStartAsync("postgres");
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("shopdb").WaitAsync(s_recoveryTimeout);
        // The shop takes writes again after the restart.
        await load.WaitForAcknowledgedAsync(load.Acknowledged + 10, s_recoveryTimeout);
        await stop.CancelAsync();
        await running;
        output.WriteLine(load.Describe() + $"; {beforeKill} acknowledged before the kill");

        await using var db = await Db.OpenAsync(fixture);
        var userIds = shoppers.Select(s => s.UserId!).ToArray();
        var reviews = await db.QueryAsync("""SELECT "Id", "UserId", "ProductId" FROM storefront."Reviews" WHERE "UserId" = ANY($1)""",
            r => (Id: r.GetInt32(0), UserId: r.GetString(1), ProductId: r.GetInt32(2)), (object)userIds);
        var orders = await db.QueryAsync("""SELECT "Id", "UserId", "Total" FROM storefront."Orders" WHERE "UserId" = ANY($1) AND "Id" > $2""",
            r => (Id: r.GetInt32(0), UserId: r.GetString(1), Total: r.GetDecimal(2)), (object)userIds, (int)ordersBefore);
        output.WriteLine($"after restart: {reviews.Count} reviews (seeded ones included) and {orders.Count} new orders of these shoppers in the database");

        var reviewById = reviews.ToDictionary(r => r.Id);
        var lostReviews = load.Reviews.Where(a => !reviewById.TryGetValue(a.Id, out var r) || r.UserId != a.UserId || r.ProductId != a.ProductId).ToList();
        Assert.True(lostReviews.Count == 0, $"{lostReviews.Count} acknowledged reviews missing: {string.Join(", ", lostReviews.Take(10))}");
        var doubled = reviews.GroupBy(r => (r.UserId, r.ProductId)).Where(g => g.Count() > 1).ToList();
        Assert.True(doubled.Count == 0, $"reviews stored twice: {string.Join(", ", doubled.Select(g => g.Key))}");

        var orderById = orders.ToDictionary(o => o.Id);
        var lostOrders = load.Orders.Where(a => !orderById.TryGetValue(a.Id, out var o) || o.UserId != a.UserId || o.Total != a.Total).ToList();
        Assert.True(lostOrders.Count == 0, $"{lostOrders.Count} acknowledged orders missing: {string.Join(", ", lostOrders.Take(10))}");
        // None twice: no more orders than checkout requests (an unanswered request may have committed; none may commit twice).
        foreach (var shopper in shoppers)
        {
            var stored = orders.Count(o => o.UserId == shopper.UserId);
            var attempts = load.CheckoutAttempts.GetValueOrDefault(shopper.UserId!);
            Assert.True(stored <= attempts, $"{shopper.UserId}: {stored} orders stored from {attempts} checkout requests");
        }

        Assert.True(load.Reviews.Count > 0 && load.Orders.Count > 0, load.Describe());
    }

    [Fact]
    public async Task Kill_9_of_Garnet_during_event_publishing_loses_no_review_event_and_doubles_none()
    {
        // An extra consumer group that nobody consumes: every review-created event published from now on stays in its queue.
        var group = $"crash-test-{Guid.NewGuid():N}";
        var queue = RedisEventBus.QueueKey(EventTypes.ReviewCreated, group);
        await RedisAsync(db => db.SetAddAsync(RedisEventBus.GroupsKey(EventTypes.ReviewCreated), group));

        var shoppers = await SignInAsync(s_shoppers[4..]);
        var productIds = await InStockProductIdsAsync();
        var load = new WriteLoad(shoppers, productIds, placeOrders: false);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);

        await load.WaitForAcknowledgedAsync(10, s_recoveryTimeout);
        var beforeKill = load.Acknowledged;
        await KillAndStartAsync("cache");
        await load.WaitForAcknowledgedAsync(load.Acknowledged + 10, s_recoveryTimeout);
        await stop.CancelAsync();
        await running;
        output.WriteLine(load.Describe() + $"; {beforeKill} acknowledged before the kill");

        // The outbox re-sends what Garnet lost: wait until every acknowledged review's event is queued (or time runs out).
        var expected = load.Reviews.Select(r => r.Id).ToHashSet();
        List<int> queued = [];
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_recoveryTimeout)
        {
            queued = await RedisAsync(async db => (await db.ListRangeAsync(queue)).Select(item =>
                JsonSerializer.Deserialize<EventEnvelope>(item.ToString(), EventEnvelope.SerializerOptions)!.GetData<ReviewCreatedV1>().ReviewId).ToList());
            if (expected.IsSubsetOf(queued))
            {
                break;
            }

            await Task.Delay(500);
        }

        var missing = expected.Except(queued).ToList();
        output.WriteLine($"{expected.Count} acknowledged reviews, {queued.Count} review-created events queued for the test group, {missing.Count} missing");
        Assert.True(missing.Count == 0, $"events lost for acknowledged reviews: {string.Join(", ", missing.Take(20))}");
        var twice = queued.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"events delivered twice: {string.Join(", ", twice.Take(20))}");
        await RedisAsync(db => db.SetRemoveAsync(RedisEventBus.GroupsKey(EventTypes.ReviewCreated), group));
        await RedisAsync(db => db.KeyDeleteAsync(queue));
    }

    private async Task<T> RedisAsync<T>(Func<IDatabase, Task<T>> action)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("cache"));
        return await action(redis.GetDatabase());
    }

    private async Task<List<StorefrontClient>> SignInAsync(string[] names) =>
        [.. await Task.WhenAll(names.Select(n => StorefrontClient.SignedInAsync(fixture, $"{n}@demo.ecomgo.local")))];

    private async Task<int[]> InStockProductIdsAsync()
    {
        await using var db = await Db.OpenAsync(fixture);
        return [.. await db.QueryAsync("""SELECT "Id" FROM storefront."Products" WHERE "Stock" >= 20 ORDER BY "Id" """, r => r.GetInt32(0))];
    }

    /// <summary>SIGKILL the resource's process (no clean shutdown, no flush), then start it again as the dashboard's Start would.</summary>
    private async Task KillAndStartAsync(string resourceName)
    {
        var resource = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resourceName);
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(resourceName, out var current), $"{resourceName} has no state");
        var pid = Convert.ToInt32(current.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value?.ToString(), System.Globalization.CultureInfo.InvariantCulture);

        var stopwatch = Stopwatch.StartNew();
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(); // SIGKILL on Unix
            await process.WaitForExitAsync();
        }

        output.WriteLine($"killed {resourceName} (pid {pid}) with SIGKILL");
        await fixture.App.ResourceNotifications.WaitForResourceAsync(resourceName,
            e => e.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart").WaitAsync(s_recoveryTimeout);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the load keeps hitting the dead server meanwhile

        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var started = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
        Assert.True(started.Success, $"start {resourceName}: {started.Message}");
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName).WaitAsync(s_recoveryTimeout);
        output.WriteLine($"{resourceName} healthy again {stopwatch.Elapsed.TotalSeconds:F1} s after the kill");
    }

    private sealed record AcknowledgedReview(int Id, string UserId, int ProductId);

    private sealed record AcknowledgedOrder(int Id, string UserId, decimal Total);

    /// <summary>Shoppers writing reviews (and placing one-item orders) as fast as the shop answers; records what was acknowledged.</summary>
    private sealed class WriteLoad(IReadOnlyList<StorefrontClient> shoppers, int[] productIds, bool placeOrders)
    {
        private int _acknowledged;
        private int _failed;
        private int _unanswered;

        public ConcurrentBag<AcknowledgedReview> Reviews { get; } = [];
        public ConcurrentBag<AcknowledgedOrder> Orders { get; } = [];
        public ConcurrentDictionary<string, int> CheckoutAttempts { get; } = new();
        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public Task RunAsync(CancellationToken stop) => Task.WhenAll(shoppers.Select((shopper, worker) => Task.Run(async () =>
        {
            // Each shopper walks the products from its own offset, one review per product.
            for (var i = 0; i < productIds.Length && !stop.IsCancellationRequested; i++)
            {
                var productId = productIds[(i + worker * productIds.Length / shoppers.Count) % productIds.Length];
                await TryAsync(async () =>
                {
                    var response = await shopper.Http.PostAsJsonAsync($"/api/products/{productId}/reviews",
                        new { rating = 1 + (i % 5), title = $"Crash test {i}", text = $"Written while a server was killed ({worker}/{i})." });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var review = (await response.Content.ReadFromJsonAsync<ReviewView>(StorefrontClient.Json))!;
                        Reviews.Add(new AcknowledgedReview(review.Id, shopper.UserId!, review.ProductId));
                        return true;
                    }

                    return false;
                });

                if (placeOrders && i % 2 == 0 && !stop.IsCancellationRequested)
                {
                    await TryAsync(async () =>
                    {
                        var added = await shopper.Http.PostAsJsonAsync("/api/cart/items", new { productId, quantity = 1 });
                        if (!added.IsSuccessStatusCode)
                        {
                            return false;
                        }

                        CheckoutAttempts.AddOrUpdate(shopper.UserId!, 1, (_, n) => n + 1);
                        var response = await shopper.Http.PostAsJsonAsync("/api/orders", new { shippingName = "Crash Test", shippingAddress = "1 Kill Street" });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            var order = (await response.Content.ReadFromJsonAsync<OrderView>(StorefrontClient.Json))!;
                            Orders.Add(new AcknowledgedOrder(order.Id, shopper.UserId!, order.Total));
                            return true;
                        }

                        return false;
                    });
                }
            }
        }, CancellationToken.None)));

        private async Task TryAsync(Func<Task<bool>> write)
        {
            try
            {
                if (await write())
                {
                    Interlocked.Increment(ref _acknowledged);
                }
                else
                {
                    Interlocked.Increment(ref _failed);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                Interlocked.Increment(ref _unanswered); // outcome unknown: it may or may not have been stored
            }
        }

        public async Task WaitForAcknowledgedAsync(int count, TimeSpan timeout)
        {
            var stopwatch = Stopwatch.StartNew();
            while (Acknowledged < count)
            {
                if (stopwatch.Elapsed > timeout)
                {
                    throw new TimeoutException($"only {Acknowledged} of {count} writes acknowledged within {timeout}: {Describe()}");
                }

                await Task.Delay(100);
            }
        }

        public string Describe() =>
            $"{Reviews.Count} reviews and {Orders.Count} orders acknowledged, {_failed} writes refused, {_unanswered} unanswered";
    }
}
