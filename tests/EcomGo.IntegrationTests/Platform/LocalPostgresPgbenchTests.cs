using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EcomGo.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Platform;

/// <summary>
/// Any PostgreSQL client, not just Npgsql configured with care, must work against local mode's PGlite server.
/// pgbench is a stock libpq client: its TPC-B-like script in the simple, extended and prepared protocols (named
/// statements "P_0".."P_n" on every connection, which collided across connections before the server scoped names
/// per connection) with 8 clients must finish with no failure and pgbench's balance invariant intact.
/// The server is a separate instance on its own data directory so the benchmark does not stall the shared app.
/// </summary>
public sealed class LocalPostgresPgbenchTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 8;
    private const int Seconds = 8;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"ecomgo-pgbench-{Guid.NewGuid():N}");
    private PGliteServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await PGliteServerProcess.StartAsync(_dataDirectory);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // left to the OS temp cleaner
        }
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("extended")]
    [InlineData("prepared")]
    public async Task Pgbench_with_eight_clients_has_no_failures_and_keeps_the_balance_invariant(string protocol)
    {
        var pgbench = Pgbench.ExecutablePath;

        // Server-side data generation (G): the server refuses COPY.
        var init = await RunAsync(pgbench, "-i -I dtGvp -s 1 -q");
        Assert.True(init.ExitCode == 0, $"pgbench -i failed: {init.Output}");

        // One thread per client: pgbench prepares synchronously, so a thread multiplexing several clients would
        // wait on one client's prepare while another client of the same thread holds the single PGlite session
        // inside its transaction (a documented single-session limit, not a naming one).
        var run = await RunAsync(pgbench, $"-M {protocol} -c {Clients} -j {Clients} -T {Seconds}");
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, $"pgbench -M {protocol} exited with {run.ExitCode}: {run.Output}");
        Assert.DoesNotContain("error", run.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(new Regex(@"number of failed transactions: 0 \("), run.Output);
        var processed = long.Parse(Regex.Match(run.Output, @"number of transactions actually processed: (\d+)").Groups[1].Value);
        // Correctness, not speed, is the point here (an idle machine runs ~400-650 tps; a saturated one a few).
        Assert.True(processed >= Clients, $"only {processed} transactions in {Seconds} s");

        // TPC-B's invariant: every transaction adds the same delta to one account, teller and branch and logs it.
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var sums = new NpgsqlCommand("""
            SELECT (SELECT sum(abalance) FROM pgbench_accounts), (SELECT sum(bbalance) FROM pgbench_branches),
                   (SELECT sum(tbalance) FROM pgbench_tellers), (SELECT coalesce(sum(delta), 0) FROM pgbench_history),
                   (SELECT count(*) FROM pgbench_history)
            """, connection);
        await using var reader = await sums.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (accounts, branches, tellers, history, historyRows) =
            (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        output.WriteLine($"{protocol}: {processed} transactions; sums accounts={accounts} branches={branches} tellers={tellers} history={history}");
        Assert.Equal(processed, historyRows);
        Assert.Equal(history, accounts);
        Assert.Equal(history, branches);
        Assert.Equal(history, tellers);
        await reader.DisposeAsync();

        // Closed connections take their prepared statements with them, as a PostgreSQL backend does.
        await using var leftover = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", connection);
        Assert.Equal(0L, (long)(await leftover.ExecuteScalarAsync())!);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string fileName, string arguments)
    {
        var start = new ProcessStartInfo(fileName, $"-h 127.0.0.1 -p {_server.Port} -U postgres {arguments} postgres")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Seconds + 90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pgbench {arguments} did not finish: {await stdout}{await stderr}");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}

/// <summary>Finds pgbench (Debian's postgresql-15 package); as root on Debian/Ubuntu (CI) installs it once.</summary>
public static class Pgbench
{
    private static readonly Lazy<string> s_path = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ExecutablePath => s_path.Value;

    private static string? Find()
    {
        // The versioned binary, not /usr/bin/pgbench: Debian's wrapper there wants a local cluster.
        var versioned = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).Where(File.Exists).Order().LastOrDefault()
            : null;
        return versioned ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "pgbench")).FirstOrDefault(File.Exists);
    }

    private static string Locate()
    {
        if (Find() is { } found)
        {
            return found;
        }

        if (OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            Run("apt-get", "update -qq");
            Run("apt-get", "install -y -qq postgresql-15");
            if (Find() is { } installed)
            {
                return installed;
            }
        }

        throw new InvalidOperationException(
            "This test needs pgbench. Install it (Debian/Ubuntu: 'sudo apt-get install postgresql-15') and put it on the PATH.");
    }

    private static void Run(string fileName, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
        {
            UseShellExecute = false,
            Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
        })!;
        process.WaitForExit(TimeSpan.FromMinutes(10));
    }
}

/// <summary>A PGlite server (AppHost/Infrastructure/PGlite/server) run by a test on its own port and data directory.</summary>
public sealed class PGliteServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private PGliteServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres;Database=postgres;Pooling=false;No Reset On Close=true;Timeout=30;Command Timeout=60";

    public int ProcessId => _process.Id;

    public static string ScriptDirectory => Path.Combine(RepositoryPaths.Root, "AppHost", "Infrastructure", "PGlite", "server");

    public static async Task<PGliteServerProcess> StartAsync(string dataDirectory, int? port = null)
    {
        var chosenPort = port ?? FreePort();
        var start = new ProcessStartInfo("node", "server.mjs")
        {
            WorkingDirectory = ScriptDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PGLITE_PORT"] = chosenPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PGLITE_DATA_DIR"] = dataDirectory,
            },
        };
        var process = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new PGliteServerProcess(process, chosenPort);
        var deadline = DateTime.UtcNow.AddMinutes(2); // first start may run npm ci
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"PGlite server exited with {process.ExitCode}: {string.Join('\n', log)}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(server.ConnectionString);
                await connection.OpenAsync();
                return server;
            }
            catch (NpgsqlException)
            {
                await Task.Delay(250);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"PGlite server did not accept connections within 2 minutes: {string.Join('\n', log)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the server closes the data directory cleanly.
            Process.Start("kill", $"-TERM {_process.Id}")?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
