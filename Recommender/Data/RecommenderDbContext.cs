using Microsoft.EntityFrameworkCore;
using Pgvector;

namespace EcomGo.Recommender.Data;

/// <summary>
/// The Recommender's own schema: product vectors (with the catalog facts it filters and explains by), the interactions
/// it has received, shopper taste profiles, session-to-account links and sync cursors.
/// </summary>
public sealed class RecommenderDbContext(DbContextOptions<RecommenderDbContext> options) : DbContext(options)
{
    public const string Schema = "recs";
    public const int Dimensions = 384; // all-MiniLM-L6-v2

    public DbSet<ProductVector> ProductVectors => Set<ProductVector>();
    public DbSet<ShopperProfile> ShopperProfiles => Set<ShopperProfile>();
    public DbSet<ShopperInteraction> Interactions => Set<ShopperInteraction>();
    public DbSet<SessionLink> SessionLinks => Set<SessionLink>();
    public DbSet<SyncCursor> SyncCursors => Set<SyncCursor>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.HasPostgresExtension("vector");

        modelBuilder.Entity<ProductVector>(e =>
        {
            e.HasKey(v => v.ProductId);
            e.Property(v => v.ProductId).ValueGeneratedNever();
            e.Property(v => v.Embedding).HasColumnType($"vector({Dimensions})");
            e.Property(v => v.Model).HasMaxLength(128);
            e.Property(v => v.ContentDigest).HasMaxLength(64);
            e.Property(v => v.Name).HasMaxLength(300);
            e.Property(v => v.CategoryName).HasMaxLength(200);
            e.HasIndex(v => v.Embedding).HasMethod("hnsw").HasOperators("vector_cosine_ops");
        });

        modelBuilder.Entity<ShopperProfile>(e =>
        {
            e.HasKey(p => p.ShopperKey);
            e.Property(p => p.ShopperKey).HasMaxLength(128);
            e.Property(p => p.Embedding).HasColumnType($"vector({Dimensions})");
            e.Property(p => p.Model).HasMaxLength(128);
        });

        modelBuilder.Entity<ShopperInteraction>(e =>
        {
            e.HasKey(i => i.Id);
            e.Property(i => i.Id).ValueGeneratedNever();
            e.Property(i => i.ShopperKey).HasMaxLength(128);
            e.Property(i => i.Kind).HasMaxLength(16);
            e.HasIndex(i => new { i.ShopperKey, i.OccurredAt });
            e.HasIndex(i => new { i.ProductId, i.OccurredAt });
            e.HasIndex(i => i.OccurredAt);
        });

        modelBuilder.Entity<SessionLink>(e =>
        {
            e.HasKey(l => l.SessionId);
            e.Property(l => l.SessionId).HasMaxLength(64);
            e.Property(l => l.UserId).HasMaxLength(64);
        });

        modelBuilder.Entity<SyncCursor>(e =>
        {
            e.HasKey(c => c.Name);
            e.Property(c => c.Name).HasMaxLength(64);
        });
    }
}

/// <summary>One product's embedding plus the catalog facts the Recommender filters (stock) and explains (name, category) by.</summary>
public sealed class ProductVector
{
    public int ProductId { get; set; }
    public required Vector Embedding { get; set; }
    /// <summary>The embedding model that produced <see cref="Embedding"/>: queries only ever compare vectors of the current model.</summary>
    public required string Model { get; set; }
    public int Dimensions { get; set; }
    /// <summary>SHA-256 of the embedded text: re-embed only when the product text changed.</summary>
    public required string ContentDigest { get; set; }
    public string Name { get; set; } = "";
    public int CategoryId { get; set; }
    public string CategoryName { get; set; } = "";
    public int Stock { get; set; }
    /// <summary>When the embedding was computed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the catalog feed last listed the product (stock and names refreshed).</summary>
    public DateTimeOffset SeenAt { get; set; }
}

public sealed class ShopperProfile
{
    /// <summary>"user:{id}" for signed-in shoppers, "session:{id}" for anonymous ones.</summary>
    public required string ShopperKey { get; set; }
    public required Vector Embedding { get; set; }
    public string Model { get; set; } = "";
    public int InteractionCount { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An interaction as the Storefront recorded it (its id is the Storefront's, so storing is idempotent).</summary>
public sealed class ShopperInteraction
{
    public long Id { get; set; }
    public required string ShopperKey { get; set; }
    public int ProductId { get; set; }
    /// <summary>view, cart, purchase or rating.</summary>
    public required string Kind { get; set; }
    public int Value { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}

/// <summary>An anonymous session that signed in: its interactions belong to the user.</summary>
public sealed class SessionLink
{
    public required string SessionId { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset LinkedAt { get; set; }
}

/// <summary>How far a sweep of one of the Storefront's feeds has got, so a restart resumes there.</summary>
public sealed class SyncCursor
{
    public required string Name { get; set; }
    public long Position { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
