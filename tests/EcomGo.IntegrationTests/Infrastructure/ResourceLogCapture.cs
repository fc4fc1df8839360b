using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EcomGo.IntegrationTests.Infrastructure;

/// <summary>
/// Writes every resource's console log to a file beside the test binaries, so a failure in CI can be read
/// afterwards (bin/.../resource-logs/{resource}.log).
/// </summary>
internal sealed class ResourceLogCapture : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];

    public static ResourceLogCapture Start(DistributedApplication app, string directory)
    {
        Directory.CreateDirectory(directory);
        var capture = new ResourceLogCapture();
        var loggerService = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources)
        {
            capture._pumps.Add(Task.Run(async () =>
            {
                await using var writer = new StreamWriter(Path.Combine(directory, $"{resource.Name}.log"), append: false) { AutoFlush = true };
                try
                {
                    await foreach (var batch in loggerService.WatchAsync(resource.Name).WithCancellation(capture._stop.Token))
                    {
                        foreach (var line in batch)
                        {
                            await writer.WriteLineAsync(line.Content);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }));
        }

        return capture;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_pumps);
        _stop.Dispose();
    }
}
