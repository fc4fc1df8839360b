using EcomGo.ReviewAnalyzer.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>What is stored for a review that decides whether it needs (re-)analysis.</summary>
public sealed record StoredAnalysis(string Digest, string PromptVersion, bool ReanalysisRequested);

/// <summary>Reads and writes <see cref="ReviewSentiment"/> rows. Writes are one set-based upsert per batch (one short statement).</summary>
public sealed class SentimentStore(ReviewsDbContext db)
{
    /// <summary>What is already stored for these reviews; deleted reviews are reported too (as needing nothing).</summary>
    public async Task<(Dictionary<int, StoredAnalysis> Analysed, HashSet<int> Deleted)> GetStateAsync(IReadOnlyCollection<int> reviewIds, CancellationToken cancellationToken)
    {
        var ids = reviewIds.ToArray();
        var analysed = await db.Sentiments.AsNoTracking()
            .Where(s => ids.Contains(s.ReviewId))
            .Select(s => new { s.ReviewId, s.TextDigest, s.PromptVersion, s.ReanalysisRequestedAt })
            .ToDictionaryAsync(s => s.ReviewId, s => new StoredAnalysis(s.TextDigest, s.PromptVersion, s.ReanalysisRequestedAt != null), cancellationToken);
        var deleted = await db.DeletedReviews.AsNoTracking().Where(d => ids.Contains(d.ReviewId)).Select(d => d.ReviewId).ToListAsync(cancellationToken);
        return (analysed, deleted.ToHashSet());
    }

    /// <summary>
    /// Inserts or replaces the sentiments of a batch in one statement (INSERT ... SELECT unnest(...) ON CONFLICT), so the
    /// event consumer and the sweep can race on the same review without a duplicate-key failure. Reviews deleted in the
    /// meantime are skipped. Returns the ids actually stored. Clears any re-analysis request of the stored rows.
    /// </summary>
    public async Task<HashSet<int>> UpsertAsync(IReadOnlyList<ReviewSentiment> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        const string sql = """
            INSERT INTO reviews."Sentiments"
                ("ReviewId", "ProductId", "Label", "Confidence", "Model", "PromptVersion", "TextDigest", "AnalyzedAt", "Rating", "Excerpt",
                 "Classifier", "ModelDigest", "Aspects", "ReanalysisRequestedAt")
            SELECT u.id, u.product, u.label, u.confidence, u.model, u.prompt, u.digest, u.analyzed_at, u.rating, u.excerpt,
                   u.classifier, u.model_digest, u.aspects::jsonb, NULL
            FROM unnest(@ids, @products, @labels, @confidences, @models, @prompts, @digests, @analyzedAt, @ratings, @excerpts,
                        @classifiers, @modelDigests, @aspects)
                 AS u(id, product, label, confidence, model, prompt, digest, analyzed_at, rating, excerpt, classifier, model_digest, aspects)
            WHERE NOT EXISTS (SELECT 1 FROM reviews."DeletedReviews" d WHERE d."ReviewId" = u.id)
            ON CONFLICT ("ReviewId") DO UPDATE SET
                "ProductId" = excluded."ProductId", "Label" = excluded."Label", "Confidence" = excluded."Confidence",
                "Model" = excluded."Model", "PromptVersion" = excluded."PromptVersion", "TextDigest" = excluded."TextDigest",
                "AnalyzedAt" = excluded."AnalyzedAt", "Rating" = excluded."Rating", "Excerpt" = excluded."Excerpt",
                "Classifier" = excluded."Classifier", "ModelDigest" = excluded."ModelDigest", "Aspects" = excluded."Aspects",
                "ReanalysisRequestedAt" = NULL
            RETURNING "ReviewId" AS "Value"
            """;

        var stored = await db.Database.SqlQueryRaw<int>(sql,
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
            Array("classifiers", NpgsqlDbType.Text, rows.Select(r => r.Classifier)),
            Array("modelDigests", NpgsqlDbType.Text, rows.Select(r => r.ModelDigest)),
            Array("aspects", NpgsqlDbType.Text, rows.Select(r => r.Aspects))).ToListAsync(cancellationToken);
        return stored.ToHashSet();
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };
}
