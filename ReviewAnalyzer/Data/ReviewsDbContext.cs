using Microsoft.EntityFrameworkCore;

namespace EcomGo.ReviewAnalyzer.Data;

/// <summary>The ReviewAnalyzer's own schema: sentiment per review and opinion summaries per product.</summary>
public sealed class ReviewsDbContext(DbContextOptions<ReviewsDbContext> options) : DbContext(options)
{
    public const string Schema = "reviews";

    public DbSet<ReviewSentiment> Sentiments => Set<ReviewSentiment>();
    public DbSet<ProductOpinion> ProductOpinions => Set<ProductOpinion>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<ReviewSentiment>(e =>
        {
            e.HasKey(s => s.ReviewId);
            e.Property(s => s.ReviewId).ValueGeneratedNever();
            e.Property(s => s.Label).HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.Model).HasMaxLength(128);
            e.Property(s => s.PromptVersion).HasMaxLength(32);
            e.Property(s => s.TextDigest).HasMaxLength(64);
            e.Property(s => s.Excerpt).HasMaxLength(ReviewSentiment.ExcerptLength);
            e.HasIndex(s => s.ProductId);
        });

        modelBuilder.Entity<ProductOpinion>(e =>
        {
            e.HasKey(o => o.ProductId);
            e.Property(o => o.ProductId).ValueGeneratedNever();
            e.Property(o => o.Summary).HasMaxLength(2000);
            e.Property(o => o.Model).HasMaxLength(128);
        });
    }
}

public enum SentimentLabel { Positive, Neutral, Negative }

public sealed class ReviewSentiment
{
    public int ReviewId { get; set; }
    public int ProductId { get; set; }
    public SentimentLabel Label { get; set; }
    public double Confidence { get; set; }
    public required string Model { get; set; }
    public required string PromptVersion { get; set; }
    /// <summary>SHA-256 of the analysed text: a re-analysis is needed only when the text changed.</summary>
    public required string TextDigest { get; set; }
    public DateTimeOffset AnalyzedAt { get; set; }

    /// <summary>The reviewer's star rating (1-5) as the Storefront reported it; the template summary averages it.</summary>
    public int Rating { get; set; }

    /// <summary>
    /// The first <see cref="ExcerptLength"/> characters of title and text: the input of opinion summaries, so they
    /// need no second round-trip to the Storefront. The Storefront stays the owner of the review itself.
    /// </summary>
    public string Excerpt { get; set; } = "";

    public const int ExcerptLength = 400;
}

public sealed class ProductOpinion
{
    public int ProductId { get; set; }
    public required string Summary { get; set; }
    public int PositiveCount { get; set; }
    public int NeutralCount { get; set; }
    public int NegativeCount { get; set; }
    public required string Model { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
