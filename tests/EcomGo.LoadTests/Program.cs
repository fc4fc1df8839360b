using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

// Usage: dotnet run --project tests/EcomGo.LoadTests -c Release -- [baseUrl] [requestsPerPath] [concurrency] [path ...]
//            [--csv file] [--label text] [--login email:password]
// Defaults: http://localhost:5080, 400 requests per path, 8 concurrent, paths "/" and "/products/14".
// --csv appends one row per path (label,path,ok,errors,p50_ms,p90_ms,p99_ms,req_per_s) for A/B runs (measure.sh);
// --login signs in first (as the shop's API does), so the paths are measured as that signed-in shopper.
// Only loopback targets are allowed: this tool is for measuring a shop running on this machine.
var options = args.Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) || (i > 0 && args[i - 1].StartsWith("--", StringComparison.Ordinal)))
    .Chunk(2).Where(c => c.Length == 2).ToDictionary(c => c[0], c => c[1]);
var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToArray();

var baseUrl = new Uri(positional.ElementAtOrDefault(0) ?? "http://localhost:5080");
var requestsPerPath = int.Parse(positional.ElementAtOrDefault(1) ?? "400", CultureInfo.InvariantCulture);
var concurrency = int.Parse(positional.ElementAtOrDefault(2) ?? "8", CultureInfo.InvariantCulture);
var paths = positional.Length > 3 ? positional[3..] : ["/", "/products/14"];
var csv = options.GetValueOrDefault("--csv");
var label = options.GetValueOrDefault("--label") ?? baseUrl.ToString();

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

if (options.GetValueOrDefault("--login") is { } login)
{
    var (email, password) = (login[..login.IndexOf(':', StringComparison.Ordinal)], login[(login.IndexOf(':', StringComparison.Ordinal) + 1)..]);
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/account/login") { Content = JsonContent.Create(new { email, password }) };
    request.Headers.Add("X-Requested-With", "ecomgo"); // the shop's CSRF header for state-changing API calls
    using var signedIn = await http.SendAsync(request);
    if (!signedIn.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"Sign-in as {email} failed: {(int)signedIn.StatusCode}");
        return 1;
    }
}

Console.WriteLine($"Target {baseUrl} ({label}), {requestsPerPath} requests per path, {concurrency} concurrent");
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
    var rate = requestsPerPath / wall.Elapsed.TotalSeconds;
    Console.WriteLine($"{path,-28} {requestsPerPath - errors,6} {errors,6} {Percentile(0.50),8:F1} {Percentile(0.90),8:F1} {Percentile(0.99),8:F1} {rate,8:F0}");
    if (csv is not null)
    {
        var header = !File.Exists(csv);
        await File.AppendAllTextAsync(csv, (header ? "label,path,ok,errors,p50_ms,p90_ms,p99_ms,req_per_s\n" : "") + string.Create(CultureInfo.InvariantCulture,
            $"{label},{path},{requestsPerPath - errors},{errors},{Percentile(0.50):F1},{Percentile(0.90):F1},{Percentile(0.99):F1},{rate:F0}\n"));
    }
}

return 0;
