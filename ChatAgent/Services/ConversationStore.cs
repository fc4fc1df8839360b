using System.Text.Json;
using EcomGo.ChatAgent.Data;
using EcomGo.ServiceDefaults.Contracts;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ChatAgent.Services;

/// <summary>Conversations per owner ("user:{id}" or "session:{digest}"); another owner's conversation does not exist for you.</summary>
public sealed class ConversationStore(ChatDbContext db, TimeProvider time)
{
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";

    public Task<Conversation?> FindAsync(string owner, Guid id, CancellationToken ct) =>
        db.Conversations.FirstOrDefaultAsync(c => c.Id == id && c.OwnerId == owner, ct);

    public async Task<Conversation> CreateAsync(string owner, string firstMessage, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var title = firstMessage.ReplaceLineEndings(" ").Trim();
        var conversation = new Conversation
        {
            Id = Guid.CreateVersion7(),
            OwnerId = owner,
            Title = title.Length <= 80 ? title : title[..80] + "…",
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Conversations.Add(conversation);
        await db.SaveChangesAsync(ct);
        return conversation;
    }

    public async Task<ChatMessageRecord> AddUserMessageAsync(Conversation conversation, string text, CancellationToken ct)
    {
        var message = new ChatMessageRecord { ConversationId = conversation.Id, Role = UserRole, Content = text, CreatedAt = time.GetUtcNow() };
        db.Messages.Add(message);
        conversation.UpdatedAt = message.CreatedAt;
        await db.SaveChangesAsync(ct);
        return message;
    }

    public async Task<ChatMessageRecord> AddAssistantMessageAsync(
        Guid conversationId, string text, IReadOnlyList<ChatToolEvent> tools, IReadOnlyList<ChatProductCard> products, ChatUsage usage,
        bool? grounded, string promptVersion, CancellationToken ct)
    {
        var message = new ChatMessageRecord
        {
            ConversationId = conversationId,
            Role = AssistantRole,
            Content = text,
            CreatedAt = time.GetUtcNow(),
            PromptVersion = promptVersion,
            ToolCallsJson = tools.Count == 0 ? null : JsonSerializer.Serialize(tools, JsonSerializerOptions.Web),
            ProductsJson = products.Count == 0 ? null : JsonSerializer.Serialize(products, JsonSerializerOptions.Web),
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
            Grounded = grounded,
        };
        db.Messages.Add(message);
        await db.Conversations.Where(c => c.Id == conversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, message.CreatedAt), ct);
        await db.SaveChangesAsync(ct);
        return message;
    }

    /// <summary>Messages not yet folded into the summary, oldest first.</summary>
    public Task<List<ChatMessageRecord>> GetUnsummarizedAsync(Conversation conversation, CancellationToken ct)
    {
        var after = conversation.SummarizedThroughMessageId ?? 0;
        return db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Id > after)
            .OrderBy(m => m.Id)
            .ToListAsync(ct);
    }

    public async Task SaveSummaryAsync(Conversation conversation, string summary, long throughMessageId, CancellationToken ct)
    {
        conversation.Summary = summary;
        conversation.SummarizedThroughMessageId = throughMessageId;
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<ChatConversationSummary>> ListAsync(string owner, CancellationToken ct) =>
        await db.Conversations.AsNoTracking()
            .Where(c => c.OwnerId == owner)
            .OrderByDescending(c => c.UpdatedAt)
            .Take(50)
            .Select(c => new ChatConversationSummary(c.Id, c.Title, c.CreatedAt, c.UpdatedAt, c.Messages.Count))
            .ToListAsync(ct);

    public async Task<ChatConversationView?> ReadAsync(string owner, Guid id, CancellationToken ct)
    {
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.OwnerId == owner, ct);
        if (conversation is null)
        {
            return null;
        }

        var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == id).OrderBy(m => m.Id).ToListAsync(ct);
        return new ChatConversationView(conversation.Id, conversation.Title, conversation.Summary, messages
            .Select(m => new ChatMessageView(m.Id, m.Role, m.Content, m.CreatedAt, m.PromptVersion,
                m.ProductsJson is null ? [] : JsonSerializer.Deserialize<List<ChatProductCard>>(m.ProductsJson, JsonSerializerOptions.Web) ?? []))
            .ToList());
    }

    public async Task<bool> DeleteAsync(string owner, Guid id, CancellationToken ct)
    {
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id && c.OwnerId == owner, ct);
        if (conversation is null)
        {
            return false;
        }

        await db.Messages.Where(m => m.ConversationId == id).ExecuteDeleteAsync(ct);
        db.Conversations.Remove(conversation);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
