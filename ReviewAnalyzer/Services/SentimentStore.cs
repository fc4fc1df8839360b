using EcomGo.ReviewAnalyzer.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>Reads and writes <see cref="ReviewSentiment"/> rows. Writes are one set-based upsert per batch (one short statement).</summary>
public sealed class SentimentStore(ReviewsDbContext db)
{
    /// <summary>The (digest, prompt version) already stored for these reviews.</summary>
    public async Task<Dictionary<int, (string Digest, string PromptVersion)>> GetAnalysedAsync(IReadOnlyCollection<int> reviewIds, CancellationToken cancellationToken)
    {
        var ids = reviewIds.ToArray();
        return await db.Sentiments.AsNoTracking()
            .Where(s => ids.Contains(s.ReviewId))
            .Select(s => new { s.ReviewId, s.TextDigest, s.PromptVersion })
            .ToDictionaryAsync(s => s.ReviewId, s => (s.TextDigest, s.PromptVersion), cancellationToken);
    }

    /// <summary>
    /// Inserts or replaces the sentiments of a batch in one statement (INSERT ... SELECT unnest(...) ON CONFLICT),
    /// so the event consumer and the sweep can race on the same review without a duplicate-key failure.
    /// </summary>
    public async Task UpsertAsync(IReadOnlyList<ReviewSentiment> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        const string sql = """
            INSERT INTO reviews."Sentiments"
                ("ReviewId", "ProductId", "Label", "Confidence", "Model", "PromptVersion", "TextDigest", "AnalyzedAt", "Rating", "Excerpt")
            SELECT * FROM unnest(@ids, @products, @labels, @confidences, @models, @prompts, @digests, @analyzedAt, @ratings, @excerpts)
            ON CONFLICT ("ReviewId") DO UPDATE SET
                "ProductId" = excluded."ProductId", "Label" = excluded."Label", "Confidence" = excluded."Confidence",
                "Model" = excluded."Model", "PromptVersion" = excluded."PromptVersion", "TextDigest" = excluded."TextDigest",
                "AnalyzedAt" = excluded."AnalyzedAt", "Rating" = excluded."Rating", "Excerpt" = excluded."Excerpt"
            """;

        await db.Database.ExecuteSqlRawAsync(sql,
        [
            Array("ids", NpgsqlDbType.Integer, rows.Select(r => r.ReviewId)),
            Array("products", NpgsqlDbType.Integer, rows.Select(r => r.ProductId)),
            Array("labels", NpgsqlDbType.Text, rows.Select(r => r.Label.ToString())),
            Array("confidences", NpgsqlDbType.Double, rows.Select(r => r.Confidence)),
            Array("models", NpgsqlDbType.Text, rows.Select(r => r.Model)),
            Array("prompts", NpgsqlDbType.Text, rows.Select(r => r.PromptVersion)),
            Array("digests", NpgsqlDbType.Text, rows.Select(r => r.TextDigest)),
            Array("analyzedAt", NpgsqlDbType.TimestampTz, rows.Select(r => r.AnalyzedAt.ToUniversalTime())),
            Array("ratings", NpgsqlDbType.Integer, rows.Select(r => r.Rating)),
            Array("excerpts", NpgsqlDbType.Text, rows.Select(r => r.Excerpt)),
        ], cancellationToken);
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };
}
