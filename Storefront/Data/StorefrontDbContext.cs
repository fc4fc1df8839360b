using EcomGo.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace EcomGo.Storefront.Data;

/// <summary>The Storefront's schema: catalog, Identity users, carts, orders, reviews, interactions, emails and the outbox.</summary>
public sealed class StorefrontDbContext(DbContextOptions<StorefrontDbContext> options) : IdentityDbContext<ShopUser>(options), IDataProtectionKeyContext
{
    public const string Schema = "storefront";

    // Product.Specs is a Dictionary stored as jsonb: Npgsql needs the opt-in for System.Text.Json-mapped types.
    public static void ConfigureNpgsql(NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.ConfigureDataSource(dataSource => dataSource.EnableDynamicJson());

    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Manufacturer> Manufacturers => Set<Manufacturer>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Promotion> Promotions => Set<Promotion>();
    public DbSet<Review> Reviews => Set<Review>();
    public DbSet<CartItem> CartItems => Set<CartItem>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<Interaction> Interactions => Set<Interaction>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<ReviewAnalysis> ReviewAnalyses => Set<ReviewAnalysis>();
    public DbSet<ProductOpinion> ProductOpinions => Set<ProductOpinion>();
    public DbSet<EmailMessage> EmailMessages => Set<EmailMessage>();
    public DbSet<EmailClick> EmailClicks => Set<EmailClick>();
    /// <summary>The Data Protection key ring (cookies, antiforgery, email link tokens), shared by every replica and kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);

        builder.Entity<ShopUser>().Property(u => u.DisplayName).HasMaxLength(100);

        builder.Entity<Category>(e =>
        {
            e.Property(c => c.Name).HasMaxLength(100);
            e.Property(c => c.Slug).HasMaxLength(100);
            e.HasIndex(c => c.Slug).IsUnique();
        });

        builder.Entity<Manufacturer>(e =>
        {
            e.Property(m => m.Name).HasMaxLength(100);
            e.Property(m => m.Country).HasMaxLength(60);
            e.Property(m => m.Website).HasMaxLength(200);
            e.HasIndex(m => m.Name);
        });

        builder.Entity<Product>(e =>
        {
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.ManufacturerName).HasMaxLength(100);
            e.Property(p => p.Price).HasPrecision(10, 2);
            e.Property(p => p.DiscountPercent).HasPrecision(5, 2);
            e.Property(p => p.Specs).HasColumnType("jsonb");
            e.HasOne(p => p.Category).WithMany().HasForeignKey(p => p.CategoryId);
            e.HasOne(p => p.Manufacturer).WithMany(m => m.Products).HasForeignKey(p => p.ManufacturerId);
            e.Property(p => p.SearchVector).HasComputedColumnSql(
                """
                setweight(to_tsvector('english', coalesce("Name", '') || ' ' || coalesce("ManufacturerName", '')), 'A')
                || setweight(to_tsvector('english', coalesce("Description", '')), 'C')
                """, stored: true);
            e.HasIndex(p => p.SearchVector).HasMethod("GIN");
            e.HasIndex(p => p.CategoryId);
            e.HasIndex(p => p.ManufacturerId);
            e.HasIndex(p => p.Price);
        });

        builder.Entity<Promotion>(e =>
        {
            e.Property(p => p.Name).HasMaxLength(120);
            e.Property(p => p.Amount).HasPrecision(10, 2);
            e.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(p => p.Target).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(p => new { p.StartsAt, p.EndsAt });
        });

        builder.Entity<Review>(e =>
        {
            e.Property(r => r.AuthorName).HasMaxLength(100);
            e.Property(r => r.Title).HasMaxLength(120);
            e.Property(r => r.Text).HasMaxLength(4000);
            e.HasOne(r => r.Product).WithMany().HasForeignKey(r => r.ProductId);
            e.HasIndex(r => new { r.ProductId, r.CreatedAt });
            e.HasIndex(r => r.UserId);
            // One review per shopper and product, also under a race of two posts (seeded reviews without an account have
            // no user id, and NULLs never collide).
            e.HasIndex(r => new { r.ProductId, r.UserId }).IsUnique();
        });

        builder.Entity<CartItem>(e =>
        {
            e.Property(c => c.ShopperKey).HasMaxLength(128);
            e.HasOne(c => c.Product).WithMany().HasForeignKey(c => c.ProductId);
            e.HasIndex(c => new { c.ShopperKey, c.ProductId }).IsUnique();
        });

        builder.Entity<Order>(e =>
        {
            e.Property(o => o.Total).HasPrecision(12, 2);
            e.Property(o => o.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(o => o.ShippingName).HasMaxLength(100);
            e.Property(o => o.ShippingAddress).HasMaxLength(300);
            e.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId);
            e.HasIndex(o => o.UserId);
        });

        builder.Entity<OrderLine>(e =>
        {
            e.Property(l => l.ProductName).HasMaxLength(200);
            e.Property(l => l.UnitPrice).HasPrecision(10, 2);
        });

        builder.Entity<Interaction>(e =>
        {
            e.Property(i => i.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(i => i.SessionId).HasMaxLength(64);
            e.HasIndex(i => i.UserId);
            e.HasIndex(i => i.SessionId);
        });

        // Copies of the ReviewAnalyzer's results, written only by the review-analyzed / product-opinion-updated consumers.
        builder.Entity<ReviewAnalysis>(e =>
        {
            e.HasKey(a => a.ReviewId);
            e.Property(a => a.ReviewId).ValueGeneratedNever();
            e.Property(a => a.Label).HasMaxLength(16);
            e.Property(a => a.Classifier).HasMaxLength(64);
            e.Property(a => a.Model).HasMaxLength(128);
            e.HasIndex(a => a.ProductId);
        });

        builder.Entity<ProductOpinion>(e =>
        {
            e.HasKey(o => o.ProductId);
            e.Property(o => o.ProductId).ValueGeneratedNever();
            e.Property(o => o.Summary).HasMaxLength(2000);
        });

        // The email queue: one row per email, unique per digest period / conversation (DedupKey).
        builder.Entity<EmailMessage>(e =>
        {
            e.Property(m => m.Kind).HasMaxLength(32);
            e.Property(m => m.DedupKey).HasMaxLength(200);
            e.Property(m => m.UserId).HasMaxLength(450);
            e.Property(m => m.ToAddress).HasMaxLength(256);
            e.Property(m => m.ToName).HasMaxLength(100);
            e.Property(m => m.Subject).HasMaxLength(200);
            e.Property(m => m.UnsubscribeUrl).HasMaxLength(2000);
            e.Property(m => m.LastError).HasMaxLength(1000);
            e.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(m => m.DedupKey).IsUnique();
            e.HasIndex(m => m.PublicId).IsUnique();
            // The sender scans due rows in order.
            e.HasIndex(m => new { m.NextAttemptAt, m.Id }).HasFilter("\"Status\" = 'Pending'").HasDatabaseName("IX_EmailMessages_Due");
            e.HasIndex(m => m.SentAt);
        });

        builder.Entity<EmailClick>(e =>
        {
            e.Property(c => c.Kind).HasMaxLength(32);
            e.HasOne<EmailMessage>().WithMany().HasForeignKey(c => c.EmailMessageId);
            e.HasIndex(c => c.ClickedAt);
        });

        builder.AddOutboxMessages();
    }
}
