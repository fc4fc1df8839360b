using System.Text.Json;
using EcomGo.ChatAgent.Data;
using EcomGo.ChatAgent.Services;
using EcomGo.ServiceDefaults.Contracts;
using EcomGo.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ChatAgent.Workers;

/// <summary>
/// Finds conversations that went quiet (no message for <see cref="ChatAgentOptions.ConversationIdleAfter"/>) and
/// announces each one's end as <c>conversation-summarised.v1</c>: the products the assistant showed and what the shopper
/// searched for, built from the turns' tool calls and product cards (no LLM call, so it is cheap, deterministic and
/// cannot invent a product). The event is written with the conversation's "announced" mark in one transaction
/// (the shared outbox), so a crash never loses or doubles it; consumers are idempotent per conversation anyway.
/// </summary>
public sealed class ConversationEndWorker(
    IServiceScopeFactory scopeFactory, OutboxSignal<ChatDbContext> outboxSignal, ChatAgentOptions options, TimeProvider time,
    ILogger<ConversationEndWorker> logger) : BackgroundService
{
    private const int BatchSize = 20;
    private const int MaxProducts = 6;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishEndedAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not announce ended conversations; trying again later.");
            }

            try
            {
                await Task.Delay(options.ConversationEndCheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<int> PublishEndedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
        var now = time.GetUtcNow();
        var quietSince = now - options.ConversationIdleAfter;
        var ended = await db.Conversations.AsNoTracking()
            .Where(c => c.UpdatedAt <= quietSince && (c.EndPublishedAt == null || c.EndPublishedAt < c.UpdatedAt))
            .OrderBy(c => c.UpdatedAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var conversation in ended)
        {
            var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
            var summary = Summarise(conversation, messages);
            await db.InTransactionAsync(async ct =>
            {
                await db.Conversations.Where(c => c.Id == conversation.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.EndPublishedAt, conversation.UpdatedAt), ct);
                if (summary is not null)
                {
                    db.AddEvent(EventTypes.ConversationSummarised, summary, now);
                }

                return true;
            }, cancellationToken);
            if (summary is not null)
            {
                logger.LogInformation("Conversation {ConversationId} ended: {Products} product(s), interests {Interests}",
                    conversation.Id, summary.ProductIds.Count, summary.Interests);
            }
        }

        if (ended.Count > 0)
        {
            outboxSignal.Notify();
        }

        return ended.Count;
    }

    /// <summary>The end of a conversation from what its tools found; null when no product came up (nothing to follow up).</summary>
    internal static ConversationSummarisedV1? Summarise(Conversation conversation, IReadOnlyList<ChatMessageRecord> messages)
    {
        var shown = new Dictionary<int, (ChatProductCard Card, int Times, int First)>();
        var interests = new List<string>();
        foreach (var message in messages.Where(m => m.Role == ConversationStore.AssistantRole))
        {
            foreach (var card in Read<List<ChatProductCard>>(message.ProductsJson) ?? [])
            {
                shown[card.Id] = shown.TryGetValue(card.Id, out var seen) ? (card, seen.Times + 1, seen.First) : (card, 1, shown.Count);
            }

            foreach (var call in Read<List<ChatToolEvent>>(message.ToolCallsJson) ?? [])
            {
                if (call.Error is null && SearchWords(call) is { } words && !interests.Contains(words, StringComparer.OrdinalIgnoreCase))
                {
                    interests.Add(words);
                }
            }
        }

        if (shown.Count == 0)
        {
            return null;
        }

        var products = shown.Values.OrderByDescending(p => p.Times).ThenBy(p => p.First).Take(MaxProducts).ToList();
        var about = interests.Count > 0 ? string.Join(", ", interests.Take(3)) : conversation.Title;
        var summary = $"you asked about {about}; we showed you {string.Join(", ", products.Take(3).Select(p => p.Card.Name))}";
        var userId = conversation.OwnerId.StartsWith("user:", StringComparison.Ordinal) ? conversation.OwnerId["user:".Length..] : null;
        return new ConversationSummarisedV1(conversation.Id, conversation.OwnerId, userId, summary.Length <= 400 ? summary : summary[..400] + "…",
            [.. products.Select(p => p.Card.Id)], [.. interests.Take(5)], "tools", conversation.UpdatedAt);
    }

    /// <summary>The words of a product search ("trail running shoes"), or null for other tools.</summary>
    private static string? SearchWords(ChatToolEvent call)
    {
        if (!call.Name.EndsWith("search", StringComparison.OrdinalIgnoreCase) || !call.Name.StartsWith("products", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var arguments = Read<Dictionary<string, JsonElement>>(call.Arguments);
        var words = new[] { "query", "category" }
            .Select(k => arguments?.GetValueOrDefault(k) is { ValueKind: JsonValueKind.String } v ? v.GetString()?.Trim() : null)
            .FirstOrDefault(w => !string.IsNullOrEmpty(w));
        return words is { Length: > 0 and <= 80 } ? words : null;
    }

    private static T? Read<T>(string? json) where T : class
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
