using EcomGo.ServiceDefaults.Security;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Services.Email;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Apis;

/// <summary>
/// The links in emails (click tracking, one-click unsubscribe) and the service-only email operations ("send digests now"
/// from the dashboard, the queue's state).
/// </summary>
public static class EmailsApi
{
    public sealed record EmailQueueState(int Pending, int Sent, int Failed, int Cancelled, IReadOnlyList<EmailQueueEntry> Recent);

    public sealed record EmailQueueEntry(long Id, string Kind, string ToAddress, string Status, int Attempts, string? LastError,
        DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

    public static IEndpointRouteBuilder MapEmailsApi(this IEndpointRouteBuilder app)
    {
        // Links in emails: anyone holding the email may follow them, signed in or not. A bad token gets the shop's
        // not-found page (status-code pages re-render the 404 for browsers); the redirect only ever goes to our own product page.
        app.MapGet(EmailLinks.ClickPath + "{token}", async (string token, EmailTracking tracking, CancellationToken ct) =>
                await tracking.RecordClickAsync(token, ct) is { } productId
                    ? Results.LocalRedirect($"/products/{productId}")
                    : Results.NotFound())
            .WithName("EmailClick").ExcludeFromDescription();

        // RFC 8058 one-click unsubscribe: mail clients POST here without cookies or antiforgery tokens; the signed token is the proof.
        app.MapPost(EmailLinks.OneClickUnsubscribePath + "{token}", async (string token, HttpContext http, EmailTracking tracking, CancellationToken ct) =>
            {
                // A plain 404 for a bad token: re-executing the not-found page would POST to a page that expects a form.
                http.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
                return await tracking.UnsubscribeAsync(token, ct) ? Results.Text("You are unsubscribed from EcomGo's recommendation emails.") : Results.NotFound();
            })
            .WithName("EmailOneClickUnsubscribe").DisableAntiforgery().ExcludeFromDescription();
        // Someone opening that address in a browser gets the page with the button (a GET never changes anything: link scanners follow links).
        app.MapGet(EmailLinks.OneClickUnsubscribePath + "{token}", (string token) => Results.LocalRedirect(EmailLinks.UnsubscribePath + Uri.EscapeDataString(token)))
            .ExcludeFromDescription();

        var service = app.MapGroup("/api/emails").RequireServiceAuthorization();
        // A run over every shopper takes a while: answer at once with a ticket; the run's counts follow at /digests/runs.
        service.MapPost("/digests/send", (DigestRuns runs) => TypedResults.Accepted("/api/emails/digests/runs", runs.Request()))
            .WithName("SendDigestsNow");
        service.MapGet("/digests/runs", (DigestRuns runs) => TypedResults.Ok(runs.Status)).WithName("GetDigestRuns");
        service.MapGet("/queue", GetQueueAsync).WithName("GetEmailQueue");
        return app;
    }

    private static async Task<Ok<EmailQueueState>> GetQueueAsync(StorefrontDbContext db, CancellationToken ct)
    {
        var counts = await db.EmailMessages.AsNoTracking().GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var recent = await db.EmailMessages.AsNoTracking().OrderByDescending(m => m.Id).Take(50)
            .Select(m => new EmailQueueEntry(m.Id, m.Kind, m.ToAddress, m.Status.ToString(), m.Attempts, m.LastError, m.CreatedAt, m.SentAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new EmailQueueState(counts.GetValueOrDefault(EmailStatus.Pending), counts.GetValueOrDefault(EmailStatus.Sent),
            counts.GetValueOrDefault(EmailStatus.Failed), counts.GetValueOrDefault(EmailStatus.Cancelled), recent));
    }
}
