using System.Net;
using System.Runtime.InteropServices;

namespace EcomGo.OllamaTestServer;

/// <summary>
/// <c>EcomGo.OllamaTestServer serve</c> behaves like <c>ollama serve</c> as far as the AppHost can tell: it listens on
/// OLLAMA_HOST (host:port) until SIGTERM. Tests put a script named <c>ollama</c> that runs this on the AppHost's path.
/// </summary>
public static class ServeCommand
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["serve"])
        {
            Console.Error.WriteLine("usage: EcomGo.OllamaTestServer serve   (listens on OLLAMA_HOST, default 127.0.0.1:11434)");
            return 2;
        }

        var host = Environment.GetEnvironmentVariable("OLLAMA_HOST") is { Length: > 0 } value ? value : "127.0.0.1:11434";
        if (!IPEndPoint.TryParse(host, out var endpoint))
        {
            Console.Error.WriteLine($"OLLAMA_HOST '{host}' is not host:port");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        await using var server = await OllamaTestServer.StartAsync(endpoint);
        Console.WriteLine($"Ollama test server listening on {server.Endpoint}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
