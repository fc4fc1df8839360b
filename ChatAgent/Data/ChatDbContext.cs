using EcomGo.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ChatAgent.Data;

/// <summary>The ChatAgent's own schema: conversations, their messages and running summaries, and the outbox of its events.</summary>
public sealed class ChatDbContext(DbContextOptions<ChatDbContext> options) : DbContext(options)
{
    public const string Schema = "chat";

    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ChatMessageRecord> Messages => Set<ChatMessageRecord>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<Conversation>(e =>
        {
            e.Property(c => c.OwnerId).HasMaxLength(128);
            e.Property(c => c.Title).HasMaxLength(200);
            e.HasIndex(c => c.OwnerId);
            // The end-of-conversation sweep looks for quiet conversations not yet announced.
            e.HasIndex(c => c.UpdatedAt);
            e.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.ConversationId);
        });

        modelBuilder.Entity<ChatMessageRecord>(e =>
        {
            e.ToTable("Messages");
            e.Property(m => m.Role).HasMaxLength(16);
            e.Property(m => m.PromptVersion).HasMaxLength(64);
            e.HasIndex(m => new { m.ConversationId, m.CreatedAt });
        });

        modelBuilder.AddOutboxMessages();
    }
}

public sealed class Conversation
{
    public Guid Id { get; set; }
    /// <summary>"user:{id}" or "session:{id}": only the owner may read a conversation.</summary>
    public required string OwnerId { get; set; }
    public required string Title { get; set; }
    /// <summary>Running summary of the turns folded out of the history sent to the model (written by the "fast" model).</summary>
    public string? Summary { get; set; }
    /// <summary>Messages up to this id are in <see cref="Summary"/> and no longer sent to the model.</summary>
    public long? SummarizedThroughMessageId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the conversation's end (conversation-summarised.v1) was last published; a later message re-opens it.</summary>
    public DateTimeOffset? EndPublishedAt { get; set; }
    public List<ChatMessageRecord> Messages { get; } = [];
}

public sealed class ChatMessageRecord
{
    public long Id { get; set; }
    public Guid ConversationId { get; set; }
    public required string Role { get; set; }
    public required string Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Assistant messages: the <c>SystemPrompt.Version</c> that produced them.</summary>
    public string? PromptVersion { get; set; }
    /// <summary>Assistant messages: the tool calls of the turn and the product cards shown, as JSON.</summary>
    public string? ToolCallsJson { get; set; }
    public string? ProductsJson { get; set; }
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    /// <summary>Assistant messages: false when the grounding check found an unbacked product, price or manufacturer.</summary>
    public bool? Grounded { get; set; }
}
