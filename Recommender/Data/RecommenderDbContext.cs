using Microsoft.EntityFrameworkCore;
using Pgvector;

namespace EcomGo.Recommender.Data;

/// <summary>The Recommender's own schema: product vectors and shopper taste profiles.</summary>
public sealed class RecommenderDbContext(DbContextOptions<RecommenderDbContext> options) : DbContext(options)
{
    public const string Schema = "recs";
    public const int Dimensions = 384; // all-MiniLM-L6-v2

    public DbSet<ProductVector> ProductVectors => Set<ProductVector>();
    public DbSet<ShopperProfile> ShopperProfiles => Set<ShopperProfile>();

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
            e.HasIndex(v => v.Embedding).HasMethod("hnsw").HasOperators("vector_cosine_ops");
        });

        modelBuilder.Entity<ShopperProfile>(e =>
        {
            e.HasKey(p => p.ShopperKey);
            e.Property(p => p.ShopperKey).HasMaxLength(128);
            e.Property(p => p.Embedding).HasColumnType($"vector({Dimensions})");
        });
    }
}

public sealed class ProductVector
{
    public int ProductId { get; set; }
    public required Vector Embedding { get; set; }
    public required string Model { get; set; }
    /// <summary>SHA-256 of the embedded text: re-embed only when the product text changed.</summary>
    public required string ContentDigest { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class ShopperProfile
{
    /// <summary>"user:{id}" for signed-in shoppers, "session:{id}" for anonymous ones.</summary>
    public required string ShopperKey { get; set; }
    public required Vector Embedding { get; set; }
    public int InteractionCount { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
