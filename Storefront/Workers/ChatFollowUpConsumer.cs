using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Services.Email;
using StackExchange.Redis;

namespace EcomGo.Storefront.Workers;

/// <summary>
/// <c>conversation-summarised.v1</c> (group "storefront"): a signed-in, opted-in shopper gets one follow-up email with
/// the products the chat was about plus recommendations. Idempotent per conversation (the email's DedupKey), so a
/// redelivered event or a re-announced conversation sends nothing more.
/// </summary>
public sealed class ChatFollowUpConsumer(
    IConnectionMultiplexer redis, RedisEventBus bus, IServiceScopeFactory scopeFactory, ILogger<ChatFollowUpConsumer> logger)
    : EventConsumer<ConversationSummarisedV1>(redis, bus, EventTypes.ConversationSummarised, EventConsumerGroups.Storefront, logger)
{
    protected override async Task HandleAsync(EventEnvelope envelope, ConversationSummarisedV1 data, CancellationToken cancellationToken)
    {
        // Anonymous shoppers have no address; the owner key, not a claim in the payload, decides who the shopper is.
        if (data.UserId is not { Length: > 0 } userId || data.OwnerKey != $"user:{userId}" || data.ProductIds is not { Count: > 0 })
        {
            return;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var queued = await scope.ServiceProvider.GetRequiredService<RecommendationEmails>()
            .SendChatFollowUpAsync(data.ConversationId.ToString("N"), userId, data.ProductIds, data.Summary, cancellationToken);
        logger.LogInformation("Chat follow-up for conversation {ConversationId}: {Outcome}", data.ConversationId, queued ? "queued" : "not sent (opted out, or sent before)");
    }
}
