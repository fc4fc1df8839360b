using System.Security.Cryptography;
using System.Text;
using EcomGo.Recommender.Data;
using EcomGo.ServiceDefaults.Contracts;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Pgvector;

namespace EcomGo.Recommender.Services;

/// <summary>
/// Turns catalog pages into product vectors. A product is embedded only when it has no vector, its text changed
/// (SHA-256 of the embedded text) or its vector came from another model; everything else only gets its stock and
/// names refreshed. Writes are batched <c>INSERT ... SELECT unnest(...)</c> statements (PGlite has no COPY).
/// </summary>
public sealed class ProductIndexer(RecommenderDbContext db, EmbeddingModel model, RecommenderTelemetry telemetry, TimeProvider time)
{
    // The specs that say what a product is; the rest (weights, warranty, SKU-like codes) only adds noise to the vector.
    private const int MaxSpecs = 6;
    private const int MaxDescriptionLength = 600;

    public string ModelName => model.Name;

    /// <summary>The text that is embedded: name, category, manufacturer, description and a few key specs.</summary>
    public static string BuildText(CatalogFeedItem product)
    {
        var text = new StringBuilder()
            .Append(product.Name).Append(". ")
            .Append("Category: ").Append(product.CategoryName).Append(". ")
            .Append("By ").Append(product.ManufacturerName).Append(". ");
        var description = product.Description.Trim();
        text.Append(description.Length > MaxDescriptionLength ? description[..MaxDescriptionLength] : description);
        var specs = product.Specs.Take(MaxSpecs).Select(s => $"{s.Key}: {s.Value}").ToList();
        if (specs.Count > 0)
        {
            text.Append(' ').Append(string.Join("; ", specs)).Append('.');
        }

        return text.ToString();
    }

    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Indexes one page of the catalog; returns how many products were (re-)embedded.</summary>
    public async Task<int> IndexAsync(IReadOnlyList<CatalogFeedItem> products, int batchSize, CancellationToken cancellationToken)
    {
        if (products.Count == 0)
        {
            return 0;
        }

        var ids = products.Select(p => p.Id).ToList();
        var existing = await db.ProductVectors.AsNoTracking()
            .Where(v => ids.Contains(v.ProductId))
            .Select(v => new { v.ProductId, v.Model, v.ContentDigest })
            .ToDictionaryAsync(v => v.ProductId, cancellationToken);

        var documents = products.Select(p => (Product: p, Text: BuildText(p))).Select(d => (d.Product, d.Text, Digest: Digest(d.Text))).ToList();
        var stale = documents.Where(d => !existing.TryGetValue(d.Product.Id, out var e) || e.Model != model.Name || e.ContentDigest != d.Digest).ToList();
        var current = documents.Except(stale).Select(d => d.Product).ToList();

        var now = time.GetUtcNow();
        foreach (var batch in stale.Chunk(Math.Max(1, batchSize)))
        {
            var vectors = await model.EmbedAsync([.. batch.Select(d => d.Text)], cancellationToken);
            await UpsertAsync(batch, vectors, now, cancellationToken);
            telemetry.RecordEmbedded(batch.Length, model.Name);
        }

        await RefreshFactsAsync(current, now, cancellationToken);
        return stale.Count;
    }

    /// <summary>Products the catalog no longer lists (not seen by a pass that started at <paramref name="passStartedAt"/>) are dropped.</summary>
    public Task<int> RemoveUnseenAsync(DateTimeOffset passStartedAt, CancellationToken cancellationToken) =>
        db.ProductVectors.Where(v => v.SeenAt < passStartedAt).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Products with a vector of the current model.</summary>
    public Task<int> CountIndexedAsync(CancellationToken cancellationToken) =>
        db.ProductVectors.CountAsync(v => v.Model == model.Name, cancellationToken);

    private async Task UpsertAsync(IReadOnlyList<(CatalogFeedItem Product, string Text, string Digest)> batch, IReadOnlyList<Vector> vectors,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO recs."ProductVectors"
                ("ProductId", "Embedding", "Model", "Dimensions", "ContentDigest", "Name", "CategoryId", "CategoryName", "Stock", "UpdatedAt", "SeenAt")
            SELECT u.id, u.embedding, @model, @dimensions, u.digest, u.name, u.category_id, u.category_name, u.stock, @now, @now
            FROM unnest(@ids, @embeddings, @digests, @names, @categoryIds, @categoryNames, @stocks)
                AS u(id, embedding, digest, name, category_id, category_name, stock)
            ON CONFLICT ("ProductId") DO UPDATE SET
                "Embedding" = excluded."Embedding", "Model" = excluded."Model", "Dimensions" = excluded."Dimensions",
                "ContentDigest" = excluded."ContentDigest", "Name" = excluded."Name", "CategoryId" = excluded."CategoryId",
                "CategoryName" = excluded."CategoryName", "Stock" = excluded."Stock", "UpdatedAt" = excluded."UpdatedAt",
                "SeenAt" = excluded."SeenAt"
            """,
            [
                new NpgsqlParameter("model", model.Name),
                new NpgsqlParameter("dimensions", EmbeddingModel.Dimensions),
                new NpgsqlParameter("now", now),
                new NpgsqlParameter("ids", batch.Select(d => d.Product.Id).ToArray()),
                new NpgsqlParameter("embeddings", vectors.ToArray()),
                new NpgsqlParameter("digests", batch.Select(d => d.Digest).ToArray()),
                new NpgsqlParameter("names", batch.Select(d => d.Product.Name).ToArray()),
                new NpgsqlParameter("categoryIds", batch.Select(d => d.Product.CategoryId).ToArray()),
                new NpgsqlParameter("categoryNames", batch.Select(d => d.Product.CategoryName).ToArray()),
                new NpgsqlParameter("stocks", batch.Select(d => d.Product.Stock).ToArray()),
            ],
            cancellationToken);
    }

    private async Task RefreshFactsAsync(IReadOnlyList<CatalogFeedItem> products, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (products.Count == 0)
        {
            return;
        }

        await db.Database.ExecuteSqlRawAsync(
            """
            UPDATE recs."ProductVectors" AS v
            SET "Name" = u.name, "CategoryId" = u.category_id, "CategoryName" = u.category_name, "Stock" = u.stock, "SeenAt" = @now
            FROM unnest(@ids, @names, @categoryIds, @categoryNames, @stocks) AS u(id, name, category_id, category_name, stock)
            WHERE v."ProductId" = u.id
            """,
            [
                new NpgsqlParameter("now", now),
                new NpgsqlParameter("ids", products.Select(p => p.Id).ToArray()),
                new NpgsqlParameter("names", products.Select(p => p.Name).ToArray()),
                new NpgsqlParameter("categoryIds", products.Select(p => p.CategoryId).ToArray()),
                new NpgsqlParameter("categoryNames", products.Select(p => p.CategoryName).ToArray()),
                new NpgsqlParameter("stocks", products.Select(p => p.Stock).ToArray()),
            ],
            cancellationToken);
    }
}
