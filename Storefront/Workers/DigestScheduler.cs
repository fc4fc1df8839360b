using EcomGo.Storefront.Services.Email;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Workers;

/// <summary>
/// Sends the weekly digest once the configured weekday and hour (UTC) of the week has come. It checks now and then rather
/// than sleeping until a moment, so a shop that was down then catches up when it starts; queuing is idempotent per shopper
/// and week, so the checks of several replicas or restarts never send twice.
/// </summary>
public sealed class DigestScheduler(IServiceScopeFactory scopeFactory, IOptions<EmailOptions> options, TimeProvider time, ILogger<DigestScheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.AutomaticDigests)
        {
            logger.LogInformation("Automatic digests are off (Email:AutomaticDigests): only 'send digests now' sends them.");
            return;
        }

        string? done = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var period = RecommendationEmails.PeriodOf(now);
            if (period != done && IsDue(now, settings))
            {
                try
                {
                    await using var scope = scopeFactory.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<RecommendationEmails>().SendDigestsAsync(stoppingToken);
                    done = period;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "The weekly digest run failed; trying again at the next check.");
                }
            }

            try
            {
                await Task.Delay(settings.DigestCheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
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
