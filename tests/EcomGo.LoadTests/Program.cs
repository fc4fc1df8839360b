using System.Diagnostics;

// Usage: dotnet run --project tests/EcomGo.LoadTests -c Release -- [baseUrl] [requestsPerPath] [concurrency] [path ...]
// Defaults: http://localhost:5080, 400 requests per path, 8 concurrent, paths "/" and "/products/14".
// Only loopback targets are allowed: this tool is for measuring a shop running on this machine.
var baseUrl = new Uri(args.ElementAtOrDefault(0) ?? "http://localhost:5080");
var requestsPerPath = int.Parse(args.ElementAtOrDefault(1) ?? "400");
var concurrency = int.Parse(args.ElementAtOrDefault(2) ?? "8");
var paths = args.Length > 3 ? args[3..] : ["/", "/products/14"];

if (!baseUrl.IsLoopback)
{
    Console.Error.WriteLine($"Refusing to load {baseUrl}: only loopback addresses are allowed.");
    return 2;
}

if (requestsPerPath is < 1 or > 100_000 || concurrency is < 1 or > 256)
{
    Console.Error.WriteLine("requestsPerPath must be 1..100000 and concurrency 1..256.");
    return 2;
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

Console.WriteLine($"Target {baseUrl}, {requestsPerPath} requests per path, {concurrency} concurrent");
Console.WriteLine($"{"path",-28} {"ok",6} {"errors",6} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"req/s",8}");
foreach (var path in paths)
{
    // Warm-up: JIT, connection pool and caches, not measured.
    for (var i = 0; i < Math.Min(20, requestsPerPath); i++)
    {
        using var _ = await http.GetAsync(path);
    }

    var latencies = new double[requestsPerPath];
    var errors = 0;
    var next = -1;
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int index;
        while ((index = Interlocked.Increment(ref next)) < requestsPerPath)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }

            latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }));
    wall.Stop();

    Array.Sort(latencies);
    double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
    Console.WriteLine($"{path,-28} {requestsPerPath - errors,6} {errors,6} {Percentile(0.50),8:F1} {Percentile(0.90),8:F1} {Percentile(0.99),8:F1} {requestsPerPath / wall.Elapsed.TotalSeconds,8:F0}");
}

return 0;
