using Aspire.Hosting;
using EcomGo.OllamaTestServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EcomGo.IntegrationTests.Infrastructure;

/// <summary>
/// Boots the whole AppHost once per test run, the way CI and newcomers without Docker run it: local mode
/// (PGlite, Garnet), pointed at the scripted Ollama-compatible test server, with a throw-away data directory.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    // Generous: on a busy 2-core machine (parallel builds) PGlite, migrations and seeding can take minutes; alone it is ~15 s.
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"ecomgo-tests-{Guid.NewGuid():N}");

    public OllamaTestServer.OllamaTestServer Ollama { get; private set; } = null!;
    public DistributedApplication App { get; private set; } = null!;
    /// <summary>Wall time from StartAsync to every resource healthy.</summary>
    public TimeSpan StartupTime { get; private set; }

    public static readonly string[] ServiceNames = ["storefront", "review-analyzer", "recommender", "chat-agent"];

    private readonly string[] _extraAppHostArgs;

    /// <summary>
    /// The shared app's tests send thousands of writes from one address; the abuse limits are tested on an app of their
    /// own (AbuseLimitTests) with low ones.
    /// </summary>
    private static readonly string[] s_unlimitedAbuseLimits =
        [.. from action in new[] { "SignIn", "Review", "AddToCart", "Checkout" }
            from scope in new[] { "PerShopper", "PerIp" }
            select $"--Storefront:AbuseLimits:{action}:{scope}=1000000"];

    // xunit requires a collection fixture to have exactly one public constructor.
    public AppFixture()
        : this([])
    {
    }

    private AppFixture(IEnumerable<string> extraAppHostArgs) => _extraAppHostArgs = [.. extraAppHostArgs];

    /// <summary>For programs outside xunit (benchmarks): extra AppHost configuration, e.g. a quieter log level.</summary>
    public static AppFixture WithAppHostArgs(IEnumerable<string> extraAppHostArgs) => new(extraAppHostArgs);

    public async Task InitializeAsync()
    {
        Ollama = await OllamaTestServer.OllamaTestServer.StartAsync();

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            "--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00",
            "--Infrastructure:Mode=local",
            $"--Infrastructure:DataDirectory={_dataDirectory}",
            $"--Ollama:Endpoint={Ollama.Endpoint}",
            "--Email:AutomaticDigests=false", // tests send digests with the dashboard command, at a moment they choose
            "--Chat:ConversationIdleAfter=00:00:04", "--Chat:ConversationEndCheckInterval=00:00:02", // chat follow-ups within seconds
            .. s_unlimitedAbuseLimits,
            .. _extraAppHostArgs, // later arguments win: an app of its own may set low limits
        ], (options, _) => options.DisableDashboard = true);

        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddProvider(new ResourceLogFiles(Path.Combine(AppContext.BaseDirectory, "resource-logs")))
            .AddFilter<ResourceLogFiles>(ResourceLogFiles.CategoryPrefix, LogLevel.Trace));
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

        App = await builder.BuildAsync();

        using var timeout = new CancellationTokenSource(StartTimeout);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        try
        {
            await App.StartAsync(timeout.Token);
            await Task.WhenAll(VisibleResources().Select(r => App.ResourceNotifications.WaitForResourceHealthyAsync(r.Name, timeout.Token)));
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"The AppHost did not become healthy within {StartTimeout}: {DescribeResources(model)}", e);
        }

        StartupTime = stopwatch.Elapsed;
    }

    /// <summary>The resources a developer sees in the dashboard (Aspire adds hidden helpers such as project rebuilders).</summary>
    public IReadOnlyList<IResource> VisibleResources() =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => !(App.ResourceNotifications.TryGetCurrentState(r.Name, out var e) && e.Snapshot.IsHidden))
            .ToList();

    private string DescribeResources(DistributedApplicationModel model) => string.Join("; ", model.Resources.Select(r =>
        App.ResourceNotifications.TryGetCurrentState(r.Name, out var e)
            ? $"{r.Name}={e.Snapshot.State?.Text ?? "?"}/{e.Snapshot.HealthStatus?.ToString() ?? "no health"}"
            : $"{r.Name}=no state"));

    public HttpClient CreateHttpClient(string service) => App.CreateHttpClient(service);

    /// <summary>A client that calls as another service does: with the AppHost's service key (and optionally for a shopper).</summary>
    public async Task<HttpClient> CreateServiceClientAsync(string service, string? shopperKey = null)
    {
        var http = App.CreateHttpClient(service);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await GetServiceKeyAsync());
        if (shopperKey is not null)
        {
            http.DefaultRequestHeaders.Add(EcomGo.ServiceDefaults.Security.ServiceAuthentication.ShopperKeyHeader, shopperKey);
        }

        return http;
    }

    public async Task<string> GetServiceKeyAsync()
    {
        var key = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == EcomGo.AppHost.Infrastructure.ServiceKey.ParameterName);
        return await key.GetValueAsync(CancellationToken.None) ?? throw new InvalidOperationException("The service key has no value.");
    }

    public async Task<string> GetConnectionStringAsync(string resource) =>
        await App.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"{resource} has no connection string");

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        if (Ollama is not null)
        {
            await Ollama.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing its files; the temp folder is cleaned by the OS eventually.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "EcomGo app";
}
