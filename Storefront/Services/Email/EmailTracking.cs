using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Workers;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services.Email;

/// <summary>Clicks on emailed product links and the opt-in setting (account page, unsubscribe links).</summary>
public sealed class EmailTracking(
    StorefrontDbContext db, EmailLinks links, EmailMetrics metrics, OutboxSignal<StorefrontDbContext> outboxSignal, TimeProvider time)
{
    /// <summary>
    /// Records a followed link and returns its product, or null for a token that is tampered, expired, or names an email
    /// or product that does not exist (or was not in that email). The first click on a product of an email also becomes an
    /// <c>email-click</c> interaction of the shopper the email went to, so the Recommender learns from it.
    /// </summary>
    public async Task<int?> RecordClickAsync(string? token, CancellationToken cancellationToken)
    {
        if (links.ReadClick(token) is not { } click)
        {
            return null;
        }

        var email = await db.EmailMessages.AsNoTracking()
            .Where(m => m.PublicId == click.EmailId && m.UserId == click.UserId)
            .Select(m => new { m.Id, m.Kind, m.ProductIds })
            .FirstOrDefaultAsync(cancellationToken);
        if (email is null || !email.ProductIds.Contains(click.ProductId) || !await db.Products.AnyAsync(p => p.Id == click.ProductId, cancellationToken))
        {
            return null;
        }

        var now = time.GetUtcNow();
        await db.InTransactionAsync(async ct =>
        {
            var first = !await db.EmailClicks.AnyAsync(c => c.EmailMessageId == email.Id && c.ProductId == click.ProductId, ct);
            db.EmailClicks.Add(new EmailClick { EmailMessageId = email.Id, Kind = email.Kind, ProductId = click.ProductId, ClickedAt = now });
            if (first)
            {
                await db.SaveInteractionsWithEventsAsync(
                    [InteractionRecorder.Create(new ShopperIdentity(click.UserId, null), click.ProductId, InteractionKind.EmailClick, 1, now)], now, ct);
            }

            return true;
        }, cancellationToken);
        outboxSignal.Notify();
        metrics.Clicked(email.Kind);
        return click.ProductId;
    }

    /// <summary>Opts the shopper a valid unsubscribe token names out of recommendation emails; false for a bad token.</summary>
    public async Task<bool> UnsubscribeAsync(string? token, CancellationToken cancellationToken) =>
        links.ReadUnsubscribe(token) is { } userId && await SetOptInAsync(userId, false, cancellationToken);

    /// <summary>The account an unsubscribe token names, or null for a bad token.</summary>
    public string? UserOfUnsubscribeToken(string? token) => links.ReadUnsubscribe(token);

    public async Task<bool?> GetOptInAsync(string userId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (bool?)u.RecommendationEmails).FirstOrDefaultAsync(cancellationToken);

    /// <summary>False when there is no such user.</summary>
    public async Task<bool> SetOptInAsync(string userId, bool optIn, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.RecommendationEmails, optIn), cancellationToken) > 0;
}
