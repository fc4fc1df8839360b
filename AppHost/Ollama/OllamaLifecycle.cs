using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace EcomGo.AppHost.Ollama;

/// <summary>Runtime behaviour of the custom (non-DCP) Ollama resources: we publish their dashboard state ourselves.</summary>
internal static class OllamaLifecycle
{
    internal const string NotAvailable = "Not available";

    internal static readonly OllamaModelDownloader Downloader = new();

    /// <summary>Polls GET /api/version with backoff until it answers, then marks the endpoint resource Running.</summary>
    internal static async Task WaitForEndpointAsync(OllamaEndpointResource resource, ResourceNotificationService notifications, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var delay = TimeSpan.FromMilliseconds(250);
            var attempts = 0;
            while (!await Downloader.IsServerUpAsync(resource.Endpoint, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false))
            {
                // One log line, not one per attempt: a developer who has not started Ollama yet gets a readable log.
                if (attempts++ == 0)
                {
                    logger.LogInformation("Waiting for Ollama at {Url} (GET /api/version)", resource.BaseUrl);
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }

            logger.LogInformation("Ollama answers at {Url}", resource.BaseUrl);
            await notifications.PublishUpdateAsync(resource, s => s with
            {
                State = new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success),
                StartTimeStamp = DateTime.UtcNow,
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // AppHost shutting down
        }
    }

    /// <summary>
    /// DCP raises ConnectionStringAvailableEvent for children of containers and executables (which fills the
    /// dashboard's connection string property); nobody does for children of our custom servers, so we do.
    /// </summary>
    internal static Task PublishConnectionStringAsync(OllamaModelResource model, InitializeResourceEvent e, CancellationToken cancellationToken) =>
        model.Parent is ContainerResource or ExecutableResource
            ? Task.CompletedTask
            : e.Eventing.PublishAsync(new ConnectionStringAvailableEvent(model, e.Services), cancellationToken);
}

/// <summary>Drives one model resource: wait for the server, show or pull the model, publish the outcome.</summary>
internal sealed class OllamaModelLifecycle(OllamaModelResource model, string healthCheckKey, ResourceNotificationService notifications, ILogger logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    // The state we last published; see KeepOwnStateAsync.
    private volatile ResourceStateSnapshot _state = new($"Waiting for {model.Parent.Name}", KnownResourceStateStyles.Info);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var server = model.Parent;
        try
        {
            if (server is ContainerResource)
            {
                _ = KeepOwnStateAsync(cancellationToken);
            }

            // Healthy = Running and its /api/version health check passes (for every server kind).
            await notifications.WaitForResourceHealthyAsync(server.Name, cancellationToken).ConfigureAwait(false);

            var url = await server.EndpointExpression.GetValueAsync(cancellationToken).ConfigureAwait(false);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint))
            {
                await FailAsync($"Ollama server '{server.Name}' has no usable URL ('{url}').").ConfigureAwait(false);
                return;
            }

            await PublishStateAsync(new ResourceStateSnapshot($"Checking {model.ModelName}", KnownResourceStateStyles.Info)).ConfigureAwait(false);
            logger.LogInformation("Checking for {Model} on {Url}", model.ModelName, endpoint);

            var status = await OllamaLifecycle.Downloader
                .EnsureModelAsync(endpoint, model.ModelName, new StateProgress(this), cancellationToken)
                .ConfigureAwait(false);

            if (!status.IsReady)
            {
                await FailAsync(status.Error ?? "unknown error").ConfigureAwait(false);
                return;
            }

            logger.LogInformation(status.WasPulled ? "Pulled {Model}; ready" : "{Model} is already installed; ready", model.ModelName);
            _state = new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success);
            await notifications.PublishUpdateAsync(model, s => s with { State = _state, StartTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // AppHost shutting down
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Preparing {Model} failed", model.ModelName);
            await FailAsync(ex.Message).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(string error)
    {
        logger.LogError("Model {Model} is not available: {Error}", model.ModelName, error);
        _state = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error);

        // The health check only runs while Running, so set our report to Unhealthy by hand: the dashboard then shows
        // the error next to the health state instead of "pending".
        var report = new HealthReportSnapshot(healthCheckKey, HealthStatus.Unhealthy, error, null);
        await notifications.PublishUpdateAsync(model, s => (s with
        {
            State = _state,
            Properties = s.Properties.SetProperty(new("ollama.error", error) { DisplayName = "Error", IsHighlighted = true }),
        }).WithHealthReports([.. s.HealthReports.Where(r => r.Name != healthCheckKey), report])).ConfigureAwait(false);
    }

    private void LogStatus(string text) => logger.LogInformation("{Status}", text);

    private Task PublishStateAsync(ResourceStateSnapshot state)
    {
        _state = state;
        return notifications.PublishUpdateAsync(model, s => s with { State = state });
    }

    /// <summary>
    /// Aspire copies a container's state (Starting, Running, ...) onto its IResourceWithParent children, which would
    /// overwrite "Downloading ... 42%" or FailedToStart with the container's "Running". Put ours back when that happens;
    /// terminal container states (Exited, ...) are left alone, they are true for the model too.
    /// </summary>
    private async Task KeepOwnStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                var theirs = e.Snapshot.State?.Text;
                var mine = _state;
                if (ReferenceEquals(e.Resource, model) && theirs != mine.Text
                    && (theirs == KnownResourceStates.Starting || theirs == KnownResourceStates.Running))
                {
                    await notifications.PublishUpdateAsync(model, s => s with { State = _state }).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // AppHost shutting down
        }
    }

    /// <summary>Turns pull progress into state text, at most 4 updates a second (plus every change of phase).</summary>
    private sealed class StateProgress(OllamaModelLifecycle owner) : IProgress<OllamaPullProgress>
    {
        private string? _lastText;
        private long _lastTimestamp;

        public void Report(OllamaPullProgress value)
        {
            var text = value.Describe();
            if (text == _lastText)
            {
                return;
            }

            var now = TimeProvider.System.GetTimestamp();
            var phaseChange = value.Percent is null or 100 || _lastText is null;
            if (!phaseChange && TimeProvider.System.GetElapsedTime(_lastTimestamp, now) < ProgressInterval)
            {
                return;
            }

            if (value.Percent is null)
            {
                owner.LogStatus(text);
            }

            _lastText = text;
            _lastTimestamp = now;
            // PublishUpdateAsync completes synchronously (it only updates in-memory state), so order is kept.
            _ = owner.PublishStateAsync(new ResourceStateSnapshot(text, KnownResourceStateStyles.Info));
        }
    }
}

/// <summary>Healthy while GET /api/version answers.</summary>
internal sealed class OllamaServerHealthCheck(Uri endpoint) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await OllamaLifecycle.Downloader.IsServerUpAsync(endpoint, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Ollama does not answer GET {endpoint.ToString().TrimEnd('/')}/api/version");
}

/// <summary>Healthy only while /api/show finds the model, so WaitFor(model) waits for the download.</summary>
internal sealed class OllamaModelHealthCheck(OllamaModelResource model) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var url = await model.Parent.EndpointExpression.GetValueAsync(cancellationToken).ConfigureAwait(false);
            if (!model.Parent.IsAvailable || !Uri.TryCreate(url, UriKind.Absolute, out var endpoint))
            {
                return HealthCheckResult.Unhealthy("Ollama is not available");
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(30));
            return await OllamaLifecycle.Downloader.HasModelAsync(endpoint, model.ModelName, cts.Token).ConfigureAwait(false)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{model.ModelName} is not installed on {url}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }
}
