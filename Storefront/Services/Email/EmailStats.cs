using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services.Email;

/// <summary>One day of one kind of email: sent, failed, clicks and the emails with at least one click.</summary>
public sealed record EmailDayStats(DateOnly Day, string Kind, int Sent, int Failed, int Clicks, int ClickedEmails)
{
    public double ClickThroughRate => Sent == 0 ? 0 : (double)ClickedEmails / Sent;
}

/// <summary>Email figures from the queue and click tables (the metrics and the staff page read them).</summary>
public sealed class EmailStats(StorefrontDbContext db, TimeProvider time)
{
    /// <summary>Per kind: the share of sent emails with at least one followed link.</summary>
    public async Task<IReadOnlyDictionary<string, double>> ClickThroughByKindAsync(CancellationToken cancellationToken)
    {
        var sent = await db.EmailMessages.AsNoTracking().Where(m => m.Status == EmailStatus.Sent)
            .GroupBy(m => m.Kind).Select(g => new { Kind = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var clicked = await db.EmailClicks.AsNoTracking()
            .GroupBy(c => c.Kind).Select(g => new { Kind = g.Key, Count = g.Select(c => c.EmailMessageId).Distinct().Count() })
            .ToDictionaryAsync(g => g.Kind, g => g.Count, cancellationToken);
        return sent.ToDictionary(s => s.Kind, s => s.Count == 0 ? 0 : (double)clicked.GetValueOrDefault(s.Kind) / s.Count);
    }

    /// <summary>The last <paramref name="days"/> days (UTC), oldest first; sent and failed by the day they happened, clicks by the day of the click.</summary>
    public async Task<IReadOnlyList<EmailDayStats>> DailyAsync(int days, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - days);
        var since = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var sent = await db.EmailMessages.AsNoTracking().Where(m => m.SentAt >= since)
            .Select(m => new { m.Kind, At = m.SentAt!.Value }).ToListAsync(cancellationToken);
        var failed = await db.EmailMessages.AsNoTracking().Where(m => m.FailedAt >= since)
            .Select(m => new { m.Kind, At = m.FailedAt!.Value }).ToListAsync(cancellationToken);
        var clicks = await db.EmailClicks.AsNoTracking().Where(c => c.ClickedAt >= since)
            .Select(c => new { c.Kind, c.EmailMessageId, c.ClickedAt }).ToListAsync(cancellationToken);

        static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
        var kinds = sent.Select(s => s.Kind).Concat(failed.Select(f => f.Kind)).Concat(clicks.Select(c => c.Kind))
            .Append(EmailKinds.Digest).Append(EmailKinds.ChatFollowUp).Distinct().Order().ToList();
        return
        [
            .. Enumerable.Range(0, days).Select(first.AddDays).SelectMany(day => kinds.Select(kind => new EmailDayStats(
                day, kind,
                sent.Count(s => s.Kind == kind && Day(s.At) == day),
                failed.Count(f => f.Kind == kind && Day(f.At) == day),
                clicks.Count(c => c.Kind == kind && Day(c.ClickedAt) == day),
                clicks.Where(c => c.Kind == kind && Day(c.ClickedAt) == day).Select(c => c.EmailMessageId).Distinct().Count()))),
        ];
    }
}

public static class EmailKinds
{
    public const string Digest = "digest";
    public const string ChatFollowUp = "chat-follow-up";
}
