using EcomGo.ServiceDefaults.Contracts;
using EcomGo.Recommender.Services;
using EcomGo.ServiceDefaults.Messaging;
using StackExchange.Redis;

namespace EcomGo.Recommender.Workers;

/// <summary>
/// Each <c>interaction-recorded.v1</c> event (group "recommender") is stored first, then the shopper's profile is rebuilt
/// and their cached lists dropped, so the next list reflects it within about a second. Idempotent by interaction id.
/// </summary>
public sealed class InteractionRecordedConsumer(
    IConnectionMultiplexer redis,
    RedisEventBus bus,
    IServiceScopeFactory scopeFactory,
    ILogger<InteractionRecordedConsumer> logger)
    : EventConsumer<InteractionRecordedV1>(redis, bus, EventTypes.InteractionRecorded, GroupName, logger)
{
    public const string GroupName = "recommender";

    protected override async Task HandleAsync(EventEnvelope envelope, InteractionRecordedV1 data, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<InteractionStore>();
        var changed = await store.StoreAsync(
            [new InteractionFeedItem(data.InteractionId, data.UserId, data.SessionId, data.ProductId, data.Kind, data.Value, data.OccurredAt)],
            "event", cancellationToken);

        // Rebuilt even when the interaction was already stored: a redelivery after a crash between the two steps must
        // still leave an up-to-date profile.
        var shopperKey = changed.FirstOrDefault()
            ?? (data.UserId is { Length: > 0 } userId ? InteractionStore.UserKey(userId) : data.SessionId is { Length: > 0 } sessionId ? InteractionStore.SessionKey(sessionId) : null);
        if (shopperKey is not null)
        {
            await scope.ServiceProvider.GetRequiredService<ShopperProfileBuilder>().RebuildAsync(shopperKey, cancellationToken);
            await WarmAsync(scope.ServiceProvider, shopperKey, cancellationToken);
        }
    }

    /// <summary>The shopper is active right now: their next page view should find the new list ready.</summary>
    internal static async Task WarmAsync(IServiceProvider services, string shopperKey, CancellationToken cancellationToken)
    {
        var engine = services.GetRequiredService<RecommendationEngine>();
        var cache = services.GetRequiredService<RecommendationCache>();
        foreach (var count in services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RecommenderOptions>>().Value.WarmListCounts)
        {
            await cache.WarmForShopperAsync(shopperKey, count, () => engine.ForShopperAsync(shopperKey, count, cancellationToken));
        }
    }
}

/// <summary>
/// <c>shopper-signed-in.v1</c> (group "recommender"): the anonymous session's interactions move to the account and the
/// account's profile is rebuilt with them; later events of that session are stored under the account too.
/// </summary>
public sealed class ShopperSignedInConsumer(
    IConnectionMultiplexer redis,
    RedisEventBus bus,
    IServiceScopeFactory scopeFactory,
    ILogger<ShopperSignedInConsumer> logger)
    : EventConsumer<ShopperSignedInV1>(redis, bus, EventTypes.ShopperSignedIn, InteractionRecordedConsumer.GroupName, logger)
{
    protected override async Task HandleAsync(EventEnvelope envelope, ShopperSignedInV1 data, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(data.UserId) || string.IsNullOrEmpty(data.SessionId))
        {
            return;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var moved = await scope.ServiceProvider.GetRequiredService<InteractionStore>().LinkSessionAsync(data.SessionId, data.UserId, cancellationToken);
        if (moved)
        {
            var userKey = InteractionStore.UserKey(data.UserId);
            await scope.ServiceProvider.GetRequiredService<ShopperProfileBuilder>().RebuildAsync(userKey, cancellationToken);
            await InteractionRecordedConsumer.WarmAsync(scope.ServiceProvider, userKey, cancellationToken);
        }
    }
}

/// <summary>
/// <c>conversation-summarised.v1</c> (group "recommender"): the products a chat with the shopping assistant was about are
/// folded into the shopper's profile as "chat" interactions (weighed like an email click: a deliberate interest, less than
/// a cart add), then the profile is rebuilt. Their ids are derived from the conversation and product (negative, so they
/// never meet the Storefront's interaction ids), which makes a redelivered event change nothing.
/// </summary>
public sealed class ConversationSummarisedConsumer(
    IConnectionMultiplexer redis,
    RedisEventBus bus,
    IServiceScopeFactory scopeFactory,
    ILogger<ConversationSummarisedConsumer> logger)
    : EventConsumer<ConversationSummarisedV1>(redis, bus, EventTypes.ConversationSummarised, InteractionRecordedConsumer.GroupName, logger)
{
    protected override async Task HandleAsync(EventEnvelope envelope, ConversationSummarisedV1 data, CancellationToken cancellationToken)
    {
        var (userId, sessionId) = data.OwnerKey switch
        {
            { } key when key.StartsWith("user:", StringComparison.Ordinal) => (key["user:".Length..], (string?)null),
            { } key when key.StartsWith("session:", StringComparison.Ordinal) => ((string?)null, key["session:".Length..]),
            _ => (null, null),
        };
        if (userId is null && sessionId is null || data.ProductIds is not { Count: > 0 })
        {
            return;
        }

        var interactions = data.ProductIds.Distinct().Take(20)
            .Select(productId => new InteractionFeedItem(ChatInteractionId(data.ConversationId, productId), userId, sessionId, productId,
                InteractionStore.ChatKind, 1, data.LastMessageAt))
            .ToList();
        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<InteractionStore>().StoreAsync(interactions, "chat", cancellationToken);
        var shopperKey = userId is not null ? InteractionStore.UserKey(userId) : InteractionStore.SessionKey(sessionId!);
        await scope.ServiceProvider.GetRequiredService<ShopperProfileBuilder>().RebuildAsync(shopperKey, cancellationToken);
        await InteractionRecordedConsumer.WarmAsync(scope.ServiceProvider, shopperKey, cancellationToken);
    }

    /// <summary>A stable negative id per conversation and product.</summary>
    internal static long ChatInteractionId(Guid conversationId, int productId)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{conversationId:N}:{productId}"));
        return -(long)(BitConverter.ToUInt64(hash, 0) & long.MaxValue) - 1;
    }
}
