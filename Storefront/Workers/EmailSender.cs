using System.Threading.RateLimiting;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Services;
using EcomGo.Storefront.Services.Email;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;

namespace EcomGo.Storefront.Workers;

/// <summary>
/// Sends the queued emails over SMTP (MailKit), at most <see cref="EmailOptions.MaxPerSecond"/>. Rows are claimed with a
/// lease in one UPDATE, so replicas share the work and a crashed instance's rows are retried. A server that is down or
/// answers 4xx delays an email (retries with doubling back-off); a 5xx answer (e.g. the address does not exist), a
/// malformed address or too many attempts fail it for good, recorded with the reason. An email whose shopper opted out
/// after it was queued is cancelled, not sent.
/// </summary>
public sealed class EmailSender(
    IServiceScopeFactory scopeFactory, EmailSignal signal, EmailMetrics metrics, IOptions<EmailOptions> options,
    IConfiguration configuration, TimeProvider time, ILogger<EmailSender> logger) : BackgroundService
{
    private static readonly TimeSpan s_lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_statsInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_idleCheck = TimeSpan.FromSeconds(10);
    private DateTimeOffset _lastUsed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var endpoint = SmtpEndpoint.Parse(configuration.GetConnectionString(SmtpEndpoint.ConnectionName));
        if (endpoint is null)
        {
            logger.LogWarning("No '{Name}' connection string: recommendation emails stay queued until a mail server is configured.", SmtpEndpoint.ConnectionName);
            return;
        }

        using var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, settings.MaxPerSecond),
            TokensPerPeriod = Math.Max(1, settings.MaxPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = settings.BatchSize,
            AutoReplenishment = true,
        });
        using var smtp = new SmtpClient { Timeout = (int)settings.SmtpTimeout.TotalMilliseconds };
        var statsDue = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= statsDue)
                {
                    await RefreshClickThroughAsync(stoppingToken);
                    statsDue = time.GetUtcNow() + s_statsInterval;
                }

                if (await SendDueAsync(smtp, endpoint, limiter, settings, stoppingToken) == 0)
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Most likely the database is unavailable: the queue is still there when it is back.
                logger.LogWarning(e, "Email sending paused: {Error}", e.Message);
                try
                {
                    await Task.Delay(settings.PollInterval * 5, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        if (smtp.IsConnected)
        {
            await smtp.DisconnectAsync(true, CancellationToken.None);
        }
    }

    /// <summary>Claims and sends one batch of due emails; returns how many it handled.</summary>
    private async Task<int> SendDueAsync(SmtpClient smtp, SmtpEndpoint endpoint, RateLimiter limiter, EmailOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorefrontDbContext>();
        var now = time.GetUtcNow();
        var ids = await db.Database.SqlQueryRaw<long>(
            """
            UPDATE storefront."EmailMessages" SET "LeaseUntil" = @lease
            WHERE "Id" IN (
                SELECT "Id" FROM storefront."EmailMessages"
                WHERE "Status" = 'Pending' AND "NextAttemptAt" <= @now AND ("LeaseUntil" IS NULL OR "LeaseUntil" < @now)
                ORDER BY "NextAttemptAt", "Id" LIMIT @take)
            RETURNING "Id" AS "Value"
            """,
            new NpgsqlParameter("lease", now + s_lease), new NpgsqlParameter("now", now), new NpgsqlParameter("take", settings.BatchSize))
            .ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        var batch = await db.EmailMessages.Where(m => ids.Contains(m.Id)).OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).ToListAsync(cancellationToken);
        var userIds = batch.Select(m => m.UserId).Distinct().ToList();
        var optedIn = (await db.Users.Where(u => userIds.Contains(u.Id) && u.RecommendationEmails).Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        var catalog = scope.ServiceProvider.GetRequiredService<ICatalogService>();
        var products = (await catalog.GetProductsAsync([.. batch.SelectMany(m => m.ProductIds).Distinct()], cancellationToken)).ToDictionary(p => p.Id);

        for (var i = 0; i < batch.Count; i++)
        {
            var email = batch[i];
            email.LeaseUntil = null;
            if (!optedIn.Contains(email.UserId))
            {
                email.Status = EmailStatus.Cancelled;
                email.LastError = "The shopper opted out after the email was queued.";
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            using var lease = await limiter.AcquireAsync(1, cancellationToken);
            email.Attempts++;
            try
            {
                var message = EmailMime.Build(email, settings, products);
                await EnsureConnectedAsync(smtp, endpoint, cancellationToken);
                await smtp.SendAsync(message, cancellationToken);
                email.Status = EmailStatus.Sent;
                email.SentAt = time.GetUtcNow();
                email.LastError = null;
                metrics.Sent(email.Kind);
            }
            catch (Exception e) when (IsPermanent(e))
            {
                email.Status = EmailStatus.Failed;
                email.FailedAt = time.GetUtcNow();
                email.LastError = Describe(e);
                metrics.Failed(email.Kind, "rejected");
                logger.LogWarning("Email {Id} ({Kind}) to {Address} failed permanently: {Error}", email.Id, email.Kind, email.ToAddress, email.LastError);
                await ResetAsync(smtp);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The server is down, slow or busy: try again later, and the rest of the batch with it (no attempt counted for them).
                Retry(email, Describe(e), settings);
                foreach (var waiting in batch.Skip(i + 1).Where(m => m.Status == EmailStatus.Pending))
                {
                    waiting.LeaseUntil = null;
                    waiting.NextAttemptAt = email.Status == EmailStatus.Pending ? email.NextAttemptAt : waiting.NextAttemptAt;
                }

                await db.SaveChangesAsync(cancellationToken);
                await ResetAsync(smtp);
                return i + 1;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return batch.Count;
    }

    private void Retry(EmailMessage email, string error, EmailOptions settings)
    {
        email.LastError = error;
        if (email.Attempts >= settings.MaxAttempts)
        {
            email.Status = EmailStatus.Failed;
            email.FailedAt = time.GetUtcNow();
            metrics.Failed(email.Kind, "gave-up");
            logger.LogWarning("Email {Id} ({Kind}) failed after {Attempts} attempts: {Error}", email.Id, email.Kind, email.Attempts, error);
            return;
        }

        email.NextAttemptAt = time.GetUtcNow() + BackOff(email.Attempts, settings);
        metrics.Retried(email.Kind);
        logger.LogInformation("Email {Id} ({Kind}) not sent (attempt {Attempts}), retrying at {Next:O}: {Error}",
            email.Id, email.Kind, email.Attempts, email.NextAttemptAt, error);
    }

    /// <summary>Doubling from the base delay, capped, with ±10% jitter so a recovering server is not hit all at once.</summary>
    public static TimeSpan BackOff(int attempts, EmailOptions settings)
    {
        var doubled = settings.RetryBaseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 20));
        var seconds = Math.Min(doubled, settings.RetryMaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (0.9 + Random.Shared.NextDouble() * 0.2));
    }

    /// <summary>5xx answers are final (RFC 5321); so is an address MimeKit cannot even parse.</summary>
    private static bool IsPermanent(Exception e) =>
        e is SmtpCommandException { StatusCode: var status } && (int)status >= 500 || e is ParseException;

    private static string Describe(Exception e)
    {
        var text = e is SmtpCommandException command ? $"{(int)command.StatusCode} {command.Message}" : $"{e.GetType().Name}: {e.Message}";
        return text.Length > 1000 ? text[..1000] : text;
    }

    private async Task EnsureConnectedAsync(SmtpClient smtp, SmtpEndpoint endpoint, CancellationToken cancellationToken)
    {
        // A connection idle for a while may have been dropped by the server (or the server restarted): check it first, so
        // a stale socket does not cost an email one of its attempts.
        if (smtp.IsConnected && time.GetUtcNow() - _lastUsed > s_idleCheck)
        {
            try
            {
                await smtp.NoOpAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
            {
                await ResetAsync(smtp);
            }
        }

        _lastUsed = time.GetUtcNow();
        if (smtp.IsConnected)
        {
            return;
        }

        await smtp.ConnectAsync(endpoint.Host, endpoint.Port, endpoint.UseTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
        if (endpoint.UserName is { Length: > 0 } user)
        {
            await smtp.AuthenticateAsync(user, endpoint.Password ?? "", cancellationToken);
        }
    }

    /// <summary>After an error the connection's state is unknown: start the next send on a fresh one.</summary>
    private static async Task ResetAsync(SmtpClient smtp)
    {
        try
        {
            if (smtp.IsConnected)
            {
                await smtp.DisconnectAsync(true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is IOException or ServiceNotConnectedException or SmtpProtocolException or SmtpCommandException)
        {
        }
    }

    private async Task RefreshClickThroughAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var stats = scope.ServiceProvider.GetRequiredService<EmailStats>();
        metrics.SetClickThrough(await stats.ClickThroughByKindAsync(cancellationToken));
    }
}
