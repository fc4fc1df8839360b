using EcomGo.ReviewAnalyzer.Services;
using Microsoft.Extensions.Options;

namespace EcomGo.ReviewAnalyzer.Workers;

/// <summary>
/// Keeps product opinions in step with sentiments: every few seconds it recomputes the products whose sentiments
/// changed since their opinion was written and have been quiet for the debounce period. State lives in the
/// database (timestamps and counts), so nothing is lost on restart.
/// </summary>
public sealed class OpinionWorker(
    IServiceScopeFactory scopeFactory,
    IOptions<ReviewAnalyzerOptions> options,
    ReviewAnalyzerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<OpinionWorker> logger) : BackgroundService
{
    private const int ProductsPerRound = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var opinions = scope.ServiceProvider.GetRequiredService<OpinionService>();
                var stale = await opinions.FindStaleProductsAsync(settings.OpinionDebounce, settings.OpinionRetryInterval, ProductsPerRound, stoppingToken);
                foreach (var productId in stale)
                {
                    using var activity = telemetry.ActivitySource.StartActivity("summarise product opinion");
                    activity?.SetTag("ecomgo.product.id", productId);
                    await opinions.RecomputeAsync(productId, stoppingToken);
                }

                more = stale.Count == ProductsPerRound;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Updating product opinions failed; retrying");
            }

            if (!more)
            {
                await Task.Delay(settings.OpinionPollInterval, timeProvider, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
