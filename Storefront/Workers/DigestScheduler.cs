using EcomGo.Storefront.Services.Email;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Workers;

/// <summary>
/// Runs the digest: when "send digests now" asks (<see cref="DigestRuns"/>), and weekly once the configured weekday and
/// hour (UTC) has come. It checks now and then rather than sleeping until a moment, so a shop that was down then catches
/// up when it starts; queuing is idempotent per shopper and week, so several replicas or restarts never send twice.
/// </summary>
public sealed class DigestScheduler(
    IServiceScopeFactory scopeFactory, DigestRuns runs, IOptions<EmailOptions> options, TimeProvider time, ILogger<DigestScheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.AutomaticDigests)
        {
            logger.LogInformation("Automatic digests are off (Email:AutomaticDigests): only 'send digests now' sends them.");
        }

        string? scheduledDone = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            long? ticket;
            try
            {
                ticket = await runs.WaitAsync(settings.DigestCheckInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var now = time.GetUtcNow();
            var period = RecommendationEmails.PeriodOf(now);
            var scheduled = settings.AutomaticDigests && period != scheduledDone && IsDue(now, settings);
            if (ticket is null && !scheduled)
            {
                continue;
            }

            runs.Started();
            DigestRunResult? result = null;
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                result = await scope.ServiceProvider.GetRequiredService<RecommendationEmails>().SendDigestsAsync(ticket ?? 0, stoppingToken);
                if (scheduled)
                {
                    scheduledDone = period;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "The digest run failed; the next request or check tries again.");
            }
            finally
            {
                runs.Finished(result);
            }
        }
    }

    /// <summary>Whether this ISO week's send time (weekday and hour, UTC) has passed.</summary>
    public static bool IsDue(DateTimeOffset now, EmailOptions settings)
    {
        var utc = now.UtcDateTime;
        var daysSinceMonday = ((int)utc.DayOfWeek + 6) % 7;
        var sendDay = ((int)settings.DigestDay + 6) % 7;
        var weekStart = utc.Date.AddDays(-daysSinceMonday);
        return utc >= weekStart.AddDays(sendDay).AddHours(settings.DigestHourUtc);
    }
}
