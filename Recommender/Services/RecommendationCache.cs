using System.Text.Json;
using EcomGo.ServiceDefaults.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EcomGo.Recommender.Services;

/// <summary>
/// Finished lists in Redis. A shopper's lists are keyed by a per-shopper generation that is bumped whenever the
/// shopper's profile changes, so a list computed from the old profile can never be served after the change (even one
/// written by a request that was still running at the time). Redis trouble means a cache miss, never a failed request.
/// </summary>
public sealed class RecommendationCache(IConnectionMultiplexer redis, IOptions<RecommenderOptions> options, ILogger<RecommendationCache> logger)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private static string GenerationKey(string shopperKey) => $"recs:v1:generation:{shopperKey}";

    public async Task<(RecommendationList List, bool Cached)> GetOrCreateForShopperAsync(
        string shopperKey, int count, Func<Task<RecommendationList>> create)
    {
        string? key = null;
        try
        {
            var generation = (long?)await redis.GetDatabase().StringGetAsync(GenerationKey(shopperKey)) ?? 0;
            key = $"recs:v1:shopper:{shopperKey}:{generation}:{count}";
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogDebug(e, "Recommendation cache unavailable");
        }

        return await GetOrCreateAsync(key, options.Value.ShopperCacheLifetime, create);
    }

    /// <summary>Computes and stores a shopper's list under the current generation (after their profile changed).</summary>
    public async Task WarmForShopperAsync(string shopperKey, int count, Func<Task<RecommendationList>> create)
    {
        try
        {
            var generation = (long?)await redis.GetDatabase().StringGetAsync(GenerationKey(shopperKey)) ?? 0;
            var list = await create();
            await redis.GetDatabase().StringSetAsync($"recs:v1:shopper:{shopperKey}:{generation}:{count}",
                JsonSerializer.Serialize(list, s_json), options.Value.ShopperCacheLifetime);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogDebug(e, "Could not warm the cached list of {Shopper}", shopperKey);
        }
    }

    public Task<(RecommendationList List, bool Cached)> GetOrCreateSharedAsync(string name, Func<Task<RecommendationList>> create) =>
        GetOrCreateAsync($"recs:v1:{name}", options.Value.SharedCacheLifetime, create);

    /// <summary>Called after the shopper's profile changed: their cached lists are no longer served.</summary>
    public async Task InvalidateShopperAsync(string shopperKey)
    {
        try
        {
            var db = redis.GetDatabase();
            await db.StringIncrementAsync(GenerationKey(shopperKey));
            await db.KeyExpireAsync(GenerationKey(shopperKey), TimeSpan.FromDays(30));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The generation could not be bumped: the cached list lives out its (short) lifetime.
            logger.LogWarning("Could not invalidate cached recommendations of {Shopper}: {Message}", shopperKey, e.Message);
        }
    }

    private async Task<(RecommendationList List, bool Cached)> GetOrCreateAsync(string? key, TimeSpan lifetime, Func<Task<RecommendationList>> create)
    {
        if (key is not null)
        {
            try
            {
                var cached = await redis.GetDatabase().StringGetAsync(key);
                if (cached.HasValue && JsonSerializer.Deserialize<RecommendationList>(cached.ToString(), s_json) is { } hit)
                {
                    return (hit, true);
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
            {
                logger.LogDebug(e, "Recommendation cache read failed");
            }
        }

        var list = await create();
        if (key is not null)
        {
            try
            {
                await redis.GetDatabase().StringSetAsync(key, JsonSerializer.Serialize(list, s_json), lifetime);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogDebug(e, "Recommendation cache write failed");
            }
        }

        return (list, false);
    }
}
