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
    public async Task Executable_server_runs_ollama_serve_on_its_port_and_pulls_the_model()
    {
        // An `ollama` on PATH is run as `ollama serve`. The stand-in is the Ollama test server's own serve command,
        // which honours OLLAMA_HOST like the real binary.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        var dir = Directory.CreateTempSubdirectory("ecomgo-ollama-serve-");
        try
        {
            var testServerDll = typeof(TestServer).Assembly.Location;
            var ollamaPath = Path.Combine(dir.FullName, OperatingSystem.IsWindows() ? "ollama.cmd" : "ollama");
            await File.WriteAllTextAsync(ollamaPath, OperatingSystem.IsWindows()
                ? $"@dotnet \"{testServerDll}\" %*\r\n"
                : $"#!/bin/sh\nexec dotnet \"{testServerDll}\" \"$@\"\n", ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(ollamaPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var modelsDirectory = Path.Combine(dir.FullName, "models");

            using var builder = CreateBuilder();
            builder.AddOllamaExecutable("ollama", ollamaPath, modelsDirectory).AddModel("chat", "llama3.1:8b");
            await using var app = await builder.BuildAsync(ct);
            await app.StartAsync(ct);

            var ready = await app.ResourceNotifications.WaitForResourceHealthyAsync("chat", ct);
            Assert.Equal(KnownResourceStates.Running, ready.Snapshot.State?.Text);
            var connectionString = await app.GetConnectionStringAsync("chat", ct);
            Assert.Matches(@"^Endpoint=http://localhost:\d+;Model=llama3\.1:8b$", connectionString);

            // The model really was pulled from the process we started, and it answers where the connection string says.
            using var http = new HttpClient { BaseAddress = new Uri(connectionString!.Split(';')[0]["Endpoint=".Length..]) };
            var show = await http.PostAsync("/api/show", new StringContent("""{"model":"llama3.1:8b"}"""), ct);
            Assert.True(show.IsSuccessStatusCode, $"/api/show answered {(int)show.StatusCode}");

            var server = await app.ResourceNotifications.WaitForResourceHealthyAsync("ollama", ct);
            var environment = server.Snapshot.EnvironmentVariables.ToDictionary(e => e.Name, e => e.Value);
            Assert.Matches(@"^127\.0\.0\.1:\d+$", environment["OLLAMA_HOST"]);
            Assert.Equal(modelsDirectory, environment["OLLAMA_MODELS"]);
            Assert.True(Directory.Exists(modelsDirectory), "OLLAMA_MODELS must exist before ollama starts");

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
        // endpoint and executable server tests, which share all of the model logic.
        Assert.Equal("Waiting for ollama", Assert.Single(builder.Resources.OfType<OllamaModelResource>())
            .Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot.State?.Text);
    }
}
