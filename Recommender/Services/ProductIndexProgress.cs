using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EcomGo.Recommender.Services;

/// <summary>
/// Where the product index stands, for the health check, the metrics and the status endpoint. The service is
/// "degraded" (still answering: /health stays 200) until the first full pass over the catalog has completed.
/// </summary>
public sealed class ProductIndexProgress : IHealthCheck
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _indexed;
    private int _catalog;
    private DateTimeOffset? _lastPassCompletedAt;
    private int _lastPassEmbedded;
    private string? _lastError;

    public int IndexedProducts { get { lock (_gate) { return _indexed; } } }
    public int CatalogProducts { get { lock (_gate) { return _catalog; } } }
    public bool FirstPassCompleted => _firstPass.Task.IsCompleted;

    /// <summary>Completes when the first full pass is done.</summary>
    public Task FirstPass => _firstPass.Task;

    public void Progress(int indexed, int seenSoFar)
    {
        lock (_gate)
        {
            _indexed = indexed;
            _catalog = Math.Max(_catalog, seenSoFar);
        }
    }

    public void PassCompleted(int indexed, int catalog, int embedded, DateTimeOffset at)
    {
        lock (_gate)
        {
            _indexed = indexed;
            _catalog = catalog;
            _lastPassCompletedAt = at;
            _lastPassEmbedded = embedded;
            _lastError = null;
        }

        _firstPass.TrySetResult();
    }

    public void PassFailed(string error)
    {
        lock (_gate)
        {
            _lastError = error;
        }
    }

    public (DateTimeOffset? LastPassCompletedAt, int LastPassEmbedded, string? LastError) LastPass()
    {
        lock (_gate)
        {
            return (_lastPassCompletedAt, _lastPassEmbedded, _lastError);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (FirstPassCompleted)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{IndexedProducts} products indexed"));
        }

        var (_, _, error) = LastPass();
        return Task.FromResult(HealthCheckResult.Degraded(
            $"Indexing the catalog: {IndexedProducts} of {CatalogProducts} products so far" + (error is null ? "" : $" (last error: {error})")));
    }
}
