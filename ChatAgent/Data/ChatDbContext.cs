using Microsoft.EntityFrameworkCore;

namespace EcomGo.ChatAgent.Data;

/// <summary>The ChatAgent's own schema: conversations, their messages and running summaries.</summary>
public sealed class ChatDbContext(DbContextOptions<ChatDbContext> options) : DbContext(options)
{
    public const string Schema = "chat";

    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ChatMessageRecord> Messages => Set<ChatMessageRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<Conversation>(e =>
        {
            e.Property(c => c.OwnerId).HasMaxLength(128);
            e.Property(c => c.Title).HasMaxLength(200);
            e.HasIndex(c => c.OwnerId);
            e.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.ConversationId);
        });

        modelBuilder.Entity<ChatMessageRecord>(e =>
        {
            e.ToTable("Messages");
            e.Property(m => m.Role).HasMaxLength(16);
            e.HasIndex(m => new { m.ConversationId, m.CreatedAt });
        });
    }
}

public sealed class Conversation
{
    public Guid Id { get; set; }
    /// <summary>"user:{id}" or "session:{id}": only the owner may read a conversation.</summary>
    public required string OwnerId { get; set; }
    public required string Title { get; set; }
    public string? Summary { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<ChatMessageRecord> Messages { get; } = [];
}

public sealed class ChatMessageRecord
{
    public long Id { get; set; }
    public Guid ConversationId { get; set; }
    public required string Role { get; set; }
    public required string Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
