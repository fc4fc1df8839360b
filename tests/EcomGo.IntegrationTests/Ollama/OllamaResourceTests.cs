using System.Collections.Concurrent;
using System.Reflection;
using Aspire.Hosting;
using Microsoft.Extensions.Hosting;
using EcomGo.AppHost.Ollama;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TestServer = EcomGo.OllamaTestServer.OllamaTestServer;

namespace EcomGo.IntegrationTests.Ollama;

/// <summary>The Ollama resources inside a real (testing) AppHost, against the fake Ollama server.</summary>
public sealed class OllamaResourceTests
{
    // No container runtime on the build machines: without this the testing host waits ~60 s for one.
    private static readonly string[] Args = ["--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00"];

    // An empty testing AppHost (none of the AppHost's Program.cs runs). The public Create(args) looks for the app host
    // assembly (the one with DCP's location in its metadata) on the call stack and finds none in a test, so use the
    // overload that takes it explicitly; Aspire.Hosting.Testing 13.6.5 has it, but not public.
    private static IDistributedApplicationTestingBuilder CreateBuilder()
    {
        var create = typeof(DistributedApplicationTestingBuilder).GetMethod(
            "Create",
            BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static,
            [typeof(string[]), typeof(Action<DistributedApplicationOptions, HostApplicationBuilderSettings>), typeof(Assembly)]);
        Assert.True(create is not null, "DistributedApplicationTestingBuilder.Create(string[], Action, Assembly) not found: Aspire.Hosting.Testing changed");
        Action<DistributedApplicationOptions, HostApplicationBuilderSettings> configure = (_, _) => { };
        return (IDistributedApplicationTestingBuilder)create.Invoke(null, [Args, configure, typeof(OllamaModelResource).Assembly])!;
    }

    [Fact]
    public async Task Endpoint_server_models_download_become_healthy_or_fail_visibly()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;
        await using var server = await TestServer.StartAsync(ct);
        server.Pulls.StepDelay = TimeSpan.FromMilliseconds(100);
        server.Pulls.Steps = 5;
        server.Pulls.Fail("bad:model", "pull model manifest: file does not exist");

        using var builder = CreateBuilder();
        var ollama = builder.AddOllamaEndpoint("ollama", server.Endpoint);
        ollama.AddModel("chat", "llama3.1:8b");
        ollama.AddModel("broken", "bad:model");

        await using var app = await builder.BuildAsync(ct);
        var notifications = app.ResourceNotifications;
        var chatStates = new ConcurrentQueue<string>();
        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watch = Task.Run(async () =>
        {
            await foreach (var e in notifications.WatchAsync(watchCts.Token))
            {
                if (e.Resource.Name == "chat" && e.Snapshot.State?.Text is { } text)
                {
                    chatStates.Enqueue(text);
                }
            }
        }, ct);

        await app.StartAsync(ct);

        var ready = await notifications.WaitForResourceHealthyAsync("chat", ct);
        Assert.Equal(KnownResourceStates.Running, ready.Snapshot.State?.Text);
        Assert.Contains("llama3.1:8b", server.Models);
        Assert.Contains(chatStates, s => System.Text.RegularExpressions.Regex.IsMatch(s, @"^Downloading llama3\.1:8b \d+%$"));

        var expectedEndpoint = server.Endpoint.ToString().TrimEnd('/');
        Assert.Equal($"Endpoint={expectedEndpoint};Model=llama3.1:8b", await app.GetConnectionStringAsync("chat", ct));

        await notifications.WaitForResourceAsync("ollama", KnownResourceStates.Running, ct);

        var broken = await notifications.WaitForResourceAsync("broken", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, ct);
        Assert.Contains(broken.Snapshot.Properties, p => p.Name == "ollama.error" && Equals(p.Value, "pull model manifest: file does not exist"));
        Assert.Contains(broken.Snapshot.HealthReports, r => r.Status == HealthStatus.Unhealthy && r.Description == "pull model manifest: file does not exist");
        Assert.DoesNotContain("bad:model", server.Models);

        // The error is in the resource's console log too.
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        await foreach (var batch in logs.WatchAsync("broken").WithCancellation(ct))
        {
            if (batch.Any(l => l.Content.Contains("pull model manifest: file does not exist", StringComparison.Ordinal)))
            {
                break;
            }
        }

        await watchCts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
        await app.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Unavailable_server_models_say_not_available_and_have_no_endpoint()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;

        using var builder = CreateBuilder();
        var ollama = builder.AddOllamaUnavailable("ollama", "no ollama on PATH and no container runtime");
        ollama.AddModel("chat", "llama3.1:8b");

        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);

        var model = await app.ResourceNotifications.WaitForResourceAsync("chat", e => e.Snapshot.State?.Text == "Not available", ct);
        Assert.Equal(KnownResourceStateStyles.Warn, model.Snapshot.State?.Style);
        Assert.Equal("Model=llama3.1:8b", await app.GetConnectionStringAsync("chat", ct));

        var serverEvent = await app.ResourceNotifications.WaitForResourceAsync("ollama", e => e.Snapshot.State?.Text == "Not available", ct);
        Assert.Contains(serverEvent.Snapshot.Properties, p => Equals(p.Value, "no ollama on PATH and no container runtime"));
        Assert.False(((IOllamaServerResource)serverEvent.Resource).IsAvailable);

        await app.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Executable_server_gets_its_port_and_models_dir_and_pulls_the_model()
    {
        // Stands in for the real binary: `ollama serve` honouring OLLAMA_HOST and OLLAMA_MODELS. Needs python3
        // (present on the build machines); without it there is nothing to run, so the test has nothing to check.
        if (OperatingSystem.IsWindows() || FindOnPath("python3") is null)
        {
            return;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;
        var dir = Directory.CreateTempSubdirectory("ecomgo-fake-ollama-");
        try
        {
            var script = Path.Combine(dir.FullName, "ollama");
            await File.WriteAllTextAsync(script, FakeOllamaScript, ct);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var models = Path.Combine(dir.FullName, "models");

            using var builder = CreateBuilder();
            builder.AddOllamaExecutable("ollama", script, models).AddModel("chat", "llama3.1:8b");
            await using var app = await builder.BuildAsync(ct);
            await app.StartAsync(ct);

            var ready = await app.ResourceNotifications.WaitForResourceHealthyAsync("chat", ct);
            Assert.Equal(KnownResourceStates.Running, ready.Snapshot.State?.Text);
            Assert.True(File.Exists(Path.Combine(models, "llama3.1_8b")), "the fake did not record the pull in OLLAMA_MODELS");
            Assert.Matches(@"^Endpoint=http://localhost:\d+;Model=llama3\.1:8b$", await app.GetConnectionStringAsync("chat", ct));

            await app.StopAsync(CancellationToken.None);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Container_server_is_configured_as_documented()
    {
        using var builder = CreateBuilder();
        var ollama = builder.AddOllama("ollama", port: 11500).WithDataVolume("ecomgo-ollama-test").WithGpuSupport();
        ollama.AddModel("chat", "llama3.1:8b");

        var resource = ollama.Resource;
        var image = Assert.Single(resource.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.io", "ollama/ollama"), (image.Registry, image.Image));
        Assert.False(string.IsNullOrEmpty(image.Tag));
        Assert.NotEqual("latest", image.Tag);
        var endpoint = Assert.Single(resource.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("http", 11434, 11500), (endpoint.Name, endpoint.TargetPort, endpoint.Port));
        Assert.Contains(resource.Annotations.OfType<ContainerMountAnnotation>(), m => m.Source == "ecomgo-ollama-test" && m.Target == "/root/.ollama");
        Assert.Single(resource.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>());
        Assert.Single(resource.Annotations.OfType<HealthCheckAnnotation>());

        // Not started: on these machines (docker client, no engine) DCP's container start does not return within a
        // minute even with ContainerRuntimeInitializationTimeout=0, so the running behaviour is covered by the
        // endpoint and executable tests, which share all of the model logic.
        Assert.Equal("Waiting for ollama", Assert.Single(builder.Resources.OfType<OllamaModelResource>())
            .Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot.State?.Text);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, name))
            .FirstOrDefault(File.Exists);

    private const string FakeOllamaScript = """
        #!/usr/bin/env python3
        # Fake `ollama serve`: /api/version, /api/show, /api/pull (NDJSON); a pulled model is a file in OLLAMA_MODELS.
        import json, os, sys, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        host, port = os.environ["OLLAMA_HOST"].rsplit(":", 1)
        models = os.environ["OLLAMA_MODELS"]

        def model_file(name):
            return os.path.join(models, name.replace(":", "_").replace("/", "_"))

        class Handler(BaseHTTPRequestHandler):
            def reply(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/api/version":
                    self.reply(200, {"version": "0.0.0-fake"})
                else:
                    self.reply(404, {"error": "not found"})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                name = body.get("model") or body.get("name") or ""
                if self.path == "/api/show":
                    if os.path.exists(model_file(name)):
                        self.reply(200, {"details": {}})
                    else:
                        self.reply(404, {"error": "model '%s' not found" % name})
                elif self.path == "/api/pull":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/x-ndjson")
                    self.end_headers()
                    for k in range(1, 4):
                        line = {"status": "pulling abc", "digest": "sha256:abc", "total": 300, "completed": k * 100}
                        self.wfile.write((json.dumps(line) + "\n").encode())
                        self.wfile.flush()
                        time.sleep(0.05)
                    open(model_file(name), "w").close()
                    self.wfile.write(b'{"status":"success"}\n')
                else:
                    self.reply(404, {"error": "not found"})

            def log_message(self, *args):
                pass

        print("fake ollama listening on %s:%s, models in %s" % (host, port, models), flush=True)
        ThreadingHTTPServer((host, int(port)), Handler).serve_forever()

        """;
}
