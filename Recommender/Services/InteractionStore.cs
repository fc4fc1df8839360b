using EcomGo.ServiceDefaults.Contracts;
using EcomGo.Recommender.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomGo.Recommender.Services;

/// <summary>
/// The Recommender's own copy of the Storefront's interactions. Storing is idempotent by the Storefront's interaction id
/// (events and the feed sweep may both deliver one), and anonymous sessions already linked to an account are stored
/// under the account.
/// </summary>
public sealed class InteractionStore(RecommenderDbContext db, RecommenderTelemetry telemetry, TimeProvider time)
{
    /// <summary>Products a conversation with the shopping assistant was about (conversation-summarised.v1, not a Storefront interaction).</summary>
    public const string ChatKind = "chat";

    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { "view", "cart", "purchase", "rating", "email-click", ChatKind };

    public static string UserKey(string userId) => $"user:{userId}";
    public static string SessionKey(string sessionId) => $"session:{sessionId}";

    /// <summary>Stores new interactions (and moves known ones to the account their session was linked to); returns the shoppers whose history changed.</summary>
    public async Task<IReadOnlyCollection<string>> StoreAsync(IReadOnlyList<InteractionFeedItem> interactions, string source, CancellationToken cancellationToken)
    {
        var valid = interactions
            .Where(i => i.ProductId > 0 && Kinds.Contains(i.Kind) && (!string.IsNullOrEmpty(i.UserId) || !string.IsNullOrEmpty(i.SessionId)))
            .DistinctBy(i => i.Id)
            .ToList();
        if (valid.Count == 0)
        {
            return [];
        }

        var sessions = valid.Where(i => string.IsNullOrEmpty(i.UserId)).Select(i => i.SessionId!).Distinct().ToList();
        var links = sessions.Count == 0
            ? []
            : await db.SessionLinks.AsNoTracking().Where(l => sessions.Contains(l.SessionId)).ToDictionaryAsync(l => l.SessionId, l => l.UserId, cancellationToken);
        string KeyOf(InteractionFeedItem i) =>
            !string.IsNullOrEmpty(i.UserId) ? UserKey(i.UserId)
            : links.TryGetValue(i.SessionId!, out var userId) ? UserKey(userId)
            : SessionKey(i.SessionId!);

        var changed = await db.Database.SqlQueryRaw<string>(
            """
            INSERT INTO recs."Interactions" ("Id", "ShopperKey", "ProductId", "Kind", "Value", "OccurredAt")
            SELECT * FROM unnest(@ids, @keys, @products, @kinds, @values, @times)
            ON CONFLICT ("Id") DO UPDATE SET "ShopperKey" = excluded."ShopperKey"
                WHERE recs."Interactions"."ShopperKey" <> excluded."ShopperKey" AND excluded."ShopperKey" LIKE 'user:%'
            RETURNING "ShopperKey" AS "Value"
            """,
            new NpgsqlParameter("ids", valid.Select(i => i.Id).ToArray()),
            new NpgsqlParameter("keys", valid.Select(KeyOf).ToArray()),
            new NpgsqlParameter("products", valid.Select(i => i.ProductId).ToArray()),
            new NpgsqlParameter("kinds", valid.Select(i => i.Kind).ToArray()),
            new NpgsqlParameter("values", valid.Select(i => i.Value).ToArray()),
            new NpgsqlParameter("times", valid.Select(i => i.OccurredAt.ToUniversalTime()).ToArray()))
            .ToListAsync(cancellationToken);
        telemetry.RecordInteractions(changed.Count, source);
        return changed.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A session signed in: its interactions (now and later) belong to the user. Returns true when anything moved.</summary>
    public async Task<bool> LinkSessionAsync(string sessionId, string userId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO recs."SessionLinks" ("SessionId", "UserId", "LinkedAt") VALUES (@session, @user, @now)
            ON CONFLICT ("SessionId") DO UPDATE SET "UserId" = excluded."UserId", "LinkedAt" = excluded."LinkedAt"
            """,
            [new NpgsqlParameter("session", sessionId), new NpgsqlParameter("user", userId), new NpgsqlParameter("now", time.GetUtcNow())],
            cancellationToken);
        var sessionKey = SessionKey(sessionId);
        var moved = await db.Interactions.Where(i => i.ShopperKey == sessionKey)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ShopperKey, UserKey(userId)), cancellationToken);
        await db.ShopperProfiles.Where(p => p.ShopperKey == sessionKey).ExecuteDeleteAsync(cancellationToken);
        return moved > 0;
    }
}
