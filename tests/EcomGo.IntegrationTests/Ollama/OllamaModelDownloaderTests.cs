using EcomGo.AppHost.Ollama;
using TestServer = EcomGo.OllamaTestServer.OllamaTestServer;

namespace EcomGo.IntegrationTests.Ollama;

/// <summary>The show/pull logic of the Ollama model resource, driven directly against the fake Ollama server.</summary>
public sealed class OllamaModelDownloaderTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Missing_model_is_pulled_with_increasing_progress_then_ready()
    {
        await using var server = await TestServer.StartAsync();
        server.Pulls.StepDelay = TimeSpan.FromMilliseconds(20);
        server.Pulls.Steps = 5;
        var progress = new RecordingProgress();

        var status = await new OllamaModelDownloader().EnsureModelAsync(server.Endpoint, "llama3.1:8b", progress, Timeout());

        Assert.True(status.IsReady, status.Error);
        Assert.True(status.WasPulled);
        Assert.Null(status.Error);
        Assert.Contains("llama3.1:8b", server.Models);

        var percents = progress.Items.Where(p => p.Percent is not null).Select(p => p.Percent!.Value).ToList();
        Assert.True(percents.Count >= 2, $"expected several progress lines, got {percents.Count}");
        Assert.Equal(percents.Order().ToList(), percents);
        Assert.Equal(100, percents[^1]);
        Assert.Contains(progress.Items, p => p.Describe() == "Pulling llama3.1:8b: verifying sha256 digest");
        Assert.Matches(@"^Downloading llama3\.1:8b \d+%$", progress.Items.First(p => p.Percent is not null).Describe());

        // show (404), pull, show again (200)
        var calls = server.Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).Select(r => r.Path).ToList();
        Assert.Equal(["/api/show", "/api/pull", "/api/show"], calls);
    }

    [Fact]
    public async Task Present_model_is_ready_without_a_pull()
    {
        await using var server = await TestServer.StartAsync();
        server.AddModel("llama3.1:8b");
        var progress = new RecordingProgress();

        var status = await new OllamaModelDownloader().EnsureModelAsync(server.Endpoint, "llama3.1:8b", progress, Timeout());

        Assert.True(status.IsReady, status.Error);
        Assert.False(status.WasPulled);
        Assert.Empty(progress.Items);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/api/pull");
        Assert.Contains(server.Requests, r => r.Path == "/api/show");
    }

    [Fact]
    public async Task Failed_pull_reports_the_servers_error_and_installs_nothing()
    {
        await using var server = await TestServer.StartAsync();
        server.Pulls.Fail("bad:model", "pull model manifest: file does not exist");

        var status = await new OllamaModelDownloader().EnsureModelAsync(server.Endpoint, "bad:model", new RecordingProgress(), Timeout());

        Assert.False(status.IsReady);
        Assert.True(status.WasPulled);
        Assert.Equal("pull model manifest: file does not exist", status.Error);
        Assert.DoesNotContain("bad:model", server.Models);
    }

    [Fact]
    public async Task Unreachable_server_is_an_error_status_not_an_exception()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var status = await new OllamaModelDownloader().EnsureModelAsync(new Uri("http://127.0.0.1:1"), "llama3.1:8b", null, Timeout());

        Assert.False(status.IsReady);
        Assert.False(status.WasPulled);
        Assert.False(string.IsNullOrWhiteSpace(status.Error));
    }

    /// <summary>Synchronous, unlike Progress&lt;T&gt;, so the order of reports is kept.</summary>
    private sealed class RecordingProgress : IProgress<OllamaPullProgress>
    {
        private readonly List<OllamaPullProgress> _items = [];

        public IReadOnlyList<OllamaPullProgress> Items
        {
            get
            {
                lock (_items)
                {
                    return [.. _items];
                }
            }
        }

        public void Report(OllamaPullProgress value)
        {
            lock (_items)
            {
                _items.Add(value);
            }
        }
    }
}
