using System.Diagnostics;
using System.Globalization;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Services.Email;

/// <summary>What one "send digests now" (or the weekly schedule) did.</summary>
public sealed record DigestRunResult(long Ticket, string Period, int OptedIn, int Queued, int AlreadyQueued, int NothingToRecommend, double Seconds,
    DateTimeOffset FinishedAt);

/// <summary>
/// Composes and queues the recommendation emails: the weekly digest ("picked for you this week") and the follow-up after
/// a chat. Products come from the Storefront's recommendation service (the Recommender, with a reason per item, or the
/// shop's own rules while it is down); products the shopper already bought are left out. Each email has a unique
/// DedupKey (per shopper and ISO week, or per conversation), so repeating a run queues nothing twice.
/// </summary>
public sealed class RecommendationEmails(
    StorefrontDbContext db, IRecommendationService recommendations, ICatalogService catalog, EmailQueue queue, EmailLinks links,
    IOptions<EmailOptions> options, TimeProvider time, ILogger<RecommendationEmails> logger)
{
    /// <summary>The digest period of a moment: its ISO week, e.g. "2026-W49".</summary>
    public static string PeriodOf(DateTimeOffset moment) => string.Create(CultureInfo.InvariantCulture,
        $"{ISOWeek.GetYear(moment.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(moment.UtcDateTime):00}");

    public static string DigestKey(string period, string userId) => $"{EmailKinds.Digest}:{period}:{userId}";

    public static string FollowUpKey(string conversationId) => $"{EmailKinds.ChatFollowUp}:{conversationId}";

    /// <summary>Queues this week's digest for every opted-in shopper who has not got it yet.</summary>
    public async Task<DigestRunResult> SendDigestsAsync(long ticket, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var period = PeriodOf(time.GetUtcNow());
        var shoppers = await db.Users.AsNoTracking()
            .Where(u => u.RecommendationEmails && u.Email != null)
            .OrderBy(u => u.Id)
            .Select(u => new Recipient(u.Id, u.Email!, u.DisplayName))
            .ToListAsync(cancellationToken);
        var already = (await db.EmailMessages.AsNoTracking()
            .Where(m => m.Kind == EmailKinds.Digest && m.DedupKey.StartsWith($"{EmailKinds.Digest}:{period}:"))
            .Select(m => m.UserId).ToListAsync(cancellationToken)).ToHashSet();

        int queued = 0, skipped = 0, empty = 0;
        foreach (var shopper in shoppers)
        {
            if (already.Contains(shopper.UserId))
            {
                skipped++;
                continue;
            }

            var picks = await PicksForAsync(shopper.UserId, options.Value.DigestItems, [], cancellationToken);
            if (picks.Count == 0)
            {
                empty++;
                continue;
            }

            var email = Compose(shopper, EmailKinds.Digest, DigestKey(period, shopper.UserId), "Picked for you this week",
                "Here is what we picked for you this week, from what you looked at, bought and liked at EcomGo.",
                [new EmailSection("Picked for you", [])], picks);
            if (await queue.EnqueueAsync(email, cancellationToken))
            {
                queued++;
            }
            else
            {
                skipped++; // another instance queued it meanwhile
            }
        }

        var result = new DigestRunResult(ticket, period, shoppers.Count, queued, skipped, empty, Math.Round(stopwatch.Elapsed.TotalSeconds, 2), time.GetUtcNow());
        logger.LogInformation("Digest run for {Period}: {Queued} queued, {Skipped} already queued, {Empty} with nothing to recommend, of {OptedIn} opted-in shoppers in {Seconds} s",
            result.Period, result.Queued, result.AlreadyQueued, result.NothingToRecommend, result.OptedIn, result.Seconds);
        return result;
    }

    /// <summary>
    /// Queues the follow-up to a finished chat: the products it was about, then recommendations. Nothing when the shopper
    /// opted out, is not a signed-in account, or this conversation's follow-up was queued before. Returns whether it queued one.
    /// </summary>
    public async Task<bool> SendChatFollowUpAsync(string conversationId, string userId, IReadOnlyList<int> productIds, string? summary,
        CancellationToken cancellationToken)
    {
        var key = FollowUpKey(conversationId);
        var shopper = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.RecommendationEmails && u.Email != null)
            .Select(u => new Recipient(u.Id, u.Email!, u.DisplayName))
            .FirstOrDefaultAsync(cancellationToken);
        if (shopper is null || await queue.ContainsAsync(key, cancellationToken))
        {
            return false;
        }

        var discussed = (await catalog.GetProductsAsync([.. productIds.Distinct().Take(6)], cancellationToken))
            .OrderBy(p => productIds.ToList().IndexOf(p.Id))
            .Select(p => new Pick(p, "you asked our assistant about it"))
            .ToList();
        var more = await PicksForAsync(userId, options.Value.FollowUpRecommendations, [.. discussed.Select(d => d.Product.Id)], cancellationToken);
        if (discussed.Count == 0 && more.Count == 0)
        {
            return false;
        }

        var intro = string.IsNullOrWhiteSpace(summary)
            ? "Thanks for chatting with our shopping assistant. Here are the products you talked about, and a few more you may like."
            : $"Thanks for chatting with our shopping assistant ({summary.Trim().TrimEnd('.')}). Here are the products you talked about, and a few more you may like.";
        var email = Compose(shopper, EmailKinds.ChatFollowUp, key, "From your chat with our assistant", intro,
            [new EmailSection("What you asked about", []), new EmailSection("You may also like", [])], [.. discussed, .. more],
            sectionOf: pick => discussed.Contains(pick) ? 0 : 1);
        return await queue.EnqueueAsync(email, cancellationToken);
    }

    private sealed record Recipient(string UserId, string Address, string Name);

    private sealed record Pick(ProductSummary Product, string? Reason);

    /// <summary>The shopper's recommendations, without what they already bought (or <paramref name="exclude"/>), in stock.</summary>
    private async Task<List<Pick>> PicksForAsync(string userId, int count, IReadOnlyCollection<int> exclude, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return [];
        }

        var bought = (await db.Interactions.AsNoTracking()
            .Where(i => i.UserId == userId && i.Kind == InteractionKind.Purchase)
            .Select(i => i.ProductId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        // Ask for more than needed: the Recommender may suggest buying something again, which a digest leaves out.
        var shelf = await recommendations.GetForShopperAsync(new ShopperIdentity(userId, null), count + Math.Min(bought.Count, 10), cancellationToken);
        return
        [
            .. shelf.Items
                .Where(i => !bought.Contains(i.Product.Id) && !exclude.Contains(i.Product.Id) && i.Product.Stock > 0)
                .Take(count)
                .Select(i => new Pick(i.Product, i.Reason)),
        ];
    }

    private EmailMessage Compose(Recipient shopper, string kind, string dedupKey, string subject, string intro,
        IReadOnlyList<EmailSection> sections, IReadOnlyList<Pick> picks, Func<Pick, int>? sectionOf = null)
    {
        var publicId = Guid.CreateVersion7(time.GetUtcNow());
        var items = picks.Select(p => (Section: sectionOf?.Invoke(p) ?? 0, Item: new EmailItem(p.Product, p.Reason,
            links.ClickUrl(publicId, shopper.UserId, p.Product.Id)))).ToList();
        var filled = sections.Select((s, index) => s with { Items = [.. items.Where(i => i.Section == index).Select(i => i.Item)] }).ToList();
        var baseUrl = options.Value.ShopBaseUrl;
        var unsubscribeUrl = links.UnsubscribeUrl(shopper.UserId);
        var composed = EmailComposer.Compose(subject, shopper.Name, intro, filled,
            baseUrl.ToString(), new Uri(baseUrl, "/account/emails").ToString(), unsubscribeUrl);
        return new EmailMessage
        {
            PublicId = publicId,
            Kind = kind,
            DedupKey = dedupKey,
            UserId = shopper.UserId,
            ToAddress = shopper.Address,
            ToName = shopper.Name,
            Subject = composed.Subject,
            HtmlBody = composed.Html,
            TextBody = composed.Text,
            ProductIds = [.. picks.Select(p => p.Product.Id)],
            UnsubscribeUrl = unsubscribeUrl,
        };
    }
}
